#!/usr/bin/env bash
# Decommissioning hook of the Spark stand-in image (a pod preStop command when
# spark.decommission.enabled is set), written for this repository after the decom.sh that Spark's
# Kubernetes docker files ship: it sends SIGPWR to the executor's JVM, which then migrates its
# blocks and exits, waits for it, and records the steps in the pod's termination log.
set -x
log=/dev/termination-log
echo "Starting decommissioning" >"$log" || echo "cannot write $log"
date | tee -a "$log"
executor_pids="$(pgrep -f org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend || pgrep -f org.apache.spark.executor.CoarseGrainedExecutorBackend || true)"
echo "Executor pids: $executor_pids" | tee -a "$log"
for pid in $executor_pids; do
  kill -s SIGPWR "$pid" 2>&1 | tee -a "$log"
done
pkill -SIGPWR java 2>&1 | tee -a "$log"
for pid in $executor_pids; do
  while kill -0 "$pid" 2>/dev/null; do sleep 1; done
done
sleep 30
echo "Done" | tee -a "$log"
date | tee -a "$log"
