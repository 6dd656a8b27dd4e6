{{/* Runner pod spec shared by the Job and the CronJob. */}}
{{- define "lakebench.runnerPodSpec" -}}
{{- $r := .Values.runner }}
{{- $s3 := .Values.storage.s3 }}
restartPolicy: Never
serviceAccountName: {{ include "lakebench.componentName" (dict "root" . "component" "runner") }}
# The runner drives the cluster (SparkApplications, datagen Jobs, its Lease) through the API.
automountServiceAccountToken: true
securityContext:
  {{- include "lakebench.podSecurityContext" $r.uid | nindent 2 }}
{{- include "lakebench.podCommon" . }}
initContainers:
  # Start benchmarking only once the lakehouse answers: catalog, query engine and buckets.
  - name: wait-for-lakehouse
    image: {{ include "lakebench.image" (dict "image" .Values.toolbox.image) }}
    imagePullPolicy: {{ .Values.toolbox.image.pullPolicy }}
    command: ["python3", "/opt/lakebench/scripts/prepare.py"]
    args:
      - {{ printf "--wait=%s" (include "lakebench.catalogEndpoint" .) | quote }}
      {{- with (include "lakebench.engineEndpoint" .) }}
      - {{ printf "--wait=%s" . | quote }}
      {{- end }}
      - {{ printf "--buckets=%s" (list $s3.buckets.bronze $s3.buckets.silver $s3.buckets.gold .Values.storage.results.bucket | uniq | join ",") | quote }}
    env:
      {{- include "lakebench.s3Env" . | nindent 6 }}
      - name: LAKEBENCH_S3_ENDPOINT
        value: {{ include "lakebench.s3Endpoint" . | quote }}
      - name: LAKEBENCH_S3_REGION
        value: {{ $s3.region | quote }}
      - name: LAKEBENCH_S3_PATH_STYLE
        value: {{ $s3.pathStyle | quote }}
      - name: PYTHONDONTWRITEBYTECODE
        value: "1"
    securityContext:
      {{- include "lakebench.containerSecurityContext" . | nindent 6 }}
    resources:
      {{- toYaml .Values.toolbox.resources | nindent 6 }}
    volumeMounts:
      - {name: scripts, mountPath: /opt/lakebench/scripts, readOnly: true}
containers:
  - name: runner
    image: {{ include "lakebench.image" (dict "image" $r.image "default" .Chart.AppVersion) }}
    imagePullPolicy: {{ $r.image.pullPolicy }}
    command: ["lakebench", "run", "--config", "/etc/lakebench/config.yaml"{{ if include "lakebench.scrapesRelease" . }}, "--metrics-port", "{{ .Values.observability.runner.metricsPort }}"{{ end }}]
    {{- if include "lakebench.scrapesRelease" . }}
    # Stage and query gauges for Prometheus while the run lasts (templates/observability).
    ports:
      - name: metrics
        containerPort: {{ .Values.observability.runner.metricsPort }}
    {{- end }}
    env:
      {{- include "lakebench.s3Env" . | nindent 6 }}
      {{- if eq .Values.catalog.type "polaris" }}
      {{- include "lakebench.polarisClientEnv" . | nindent 6 }}
      {{- end }}
      - name: HOME
        value: /tmp
    securityContext:
      {{- include "lakebench.containerSecurityContext" . | nindent 6 }}
    resources:
      {{- toYaml $r.resources | nindent 6 }}
    volumeMounts:
      - {name: config, mountPath: /etc/lakebench, readOnly: true}
      - {name: work, mountPath: /var/lib/lakebench}
      - {name: tmp, mountPath: /tmp}
volumes:
  - name: config
    configMap:
      name: {{ include "lakebench.componentName" (dict "root" . "component" "runner") }}
  - name: scripts
    configMap:
      name: {{ include "lakebench.componentName" (dict "root" . "component" "scripts") }}
  - name: work
    emptyDir:
      sizeLimit: {{ $r.workDirSizeLimit }}
  - name: tmp
    emptyDir: {}
{{- end -}}
