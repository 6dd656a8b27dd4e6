// The restricted Pod Security Standard for every pod the runner submits: non-root, no privilege
// escalation, no capabilities, the runtime's seccomp profile, and a read-only root file system
// (writable paths are explicit emptyDir or scratch volumes).
import type { V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';

/** The `spark` user of the Apache Spark images. */
export const SPARK_UID = 185;
/** The runner image's user (Dockerfile). */
export const RUNNER_UID = 10001;

export const podSecurityContext = (uid: number): V1PodSecurityContext => ({
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: uid,
  fsGroup: uid,
  fsGroupChangePolicy: 'OnRootMismatch',
  seccompProfile: { type: 'RuntimeDefault' },
});

export const containerSecurityContext = (): V1SecurityContext => ({
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});
