{{/* Names ------------------------------------------------------------------------------------ */}}
{{- define "lakebench.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lakebench.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", kept under the 63-character name limit. */}}
{{- define "lakebench.componentName" -}}
{{- printf "%s-%s" (include "lakebench.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels: call with (dict "root" $ "component" "trino-worker"). */}}
{{- define "lakebench.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lakebench.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "lakebench.labels" -}}
{{ include "lakebench.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: lakebench
lakebench.io/profile: {{ .root.Values.profile | quote }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Images: (dict "image" .Values.x.image "default" "fallback tag"); a digest wins over the tag. */}}
{{- define "lakebench.image" -}}
{{- $tag := .image.tag | default .default | toString -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Security: the restricted Pod Security Standard, for a pod running as (uid). */}}
{{- define "lakebench.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "lakebench.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Pod-level scheduling and pull secrets shared by every pod. */}}
{{- define "lakebench.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Storage ---------------------------------------------------------------------------------- */}}
{{- define "lakebench.s3Endpoint" -}}
{{- if .Values.storage.garage.enabled -}}
{{- printf "http://%s.%s.svc:3900" (include "lakebench.componentName" (dict "root" . "component" "garage")) .Release.Namespace -}}
{{- else -}}
{{- .Values.storage.s3.endpoint -}}
{{- end -}}
{{- end -}}

{{- define "lakebench.s3SecretName" -}}
{{- if .Values.storage.garage.enabled -}}
{{- include "lakebench.componentName" (dict "root" . "component" "garage-key") -}}
{{- else -}}
{{- .Values.storage.s3.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* S3 credentials as AWS_* environment variables, always from the Secret. */}}
{{- define "lakebench.s3Env" -}}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.s3SecretName" . }}
      key: {{ ternary "AWS_ACCESS_KEY_ID" .Values.storage.s3.accessKeyIdKey .Values.storage.garage.enabled }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.s3SecretName" . }}
      key: {{ ternary "AWS_SECRET_ACCESS_KEY" .Values.storage.s3.secretAccessKeyKey .Values.storage.garage.enabled }}
- name: AWS_REGION
  value: {{ .Values.storage.s3.region | quote }}
{{- end -}}

{{/* PostgreSQL ------------------------------------------------------------------------------- */}}
{{- define "lakebench.postgresHost" -}}
{{- include "lakebench.componentName" (dict "root" . "component" "postgres") -}}
{{- end -}}

{{- define "lakebench.postgresSecretName" -}}
{{- .Values.postgres.auth.existingSecret | default (include "lakebench.componentName" (dict "root" . "component" "postgres")) -}}
{{- end -}}

{{- define "lakebench.jdbcUrl" -}}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "lakebench.postgresHost" .) .Values.postgres.database -}}
{{- end -}}

{{- define "lakebench.postgresEnv" -}}
- name: PGUSER
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.postgresSecretName" . }}
      key: username
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.postgresSecretName" . }}
      key: password
{{- end -}}

{{/* Catalog ---------------------------------------------------------------------------------- */}}
{{- define "lakebench.hiveHost" -}}
{{- if eq .Values.catalog.hive.provider "stackable" -}}
{{- /* hive-operator 25.3.0 names the metastore role Service after the HiveCluster itself. */ -}}
{{- include "lakebench.componentName" (dict "root" . "component" "hive") -}}
{{- else -}}
{{- include "lakebench.componentName" (dict "root" . "component" "hive-metastore") -}}
{{- end -}}
{{- end -}}

{{/* Environment of the Hive containers: (dict "root" $ "heapMiB" n). */}}
{{- define "lakebench.hiveEnv" -}}
{{ include "lakebench.postgresEnv" .root }}
{{ include "lakebench.s3Env" .root }}
- name: HIVE_CONF_DIR
  value: /opt/hive/conf-lakebench
- name: HADOOP_CONF_DIR
  value: /opt/hive/conf-lakebench
- name: HIVE_AUX_JARS_PATH
  value: /opt/hive/aux/postgresql-jdbc.jar
# The Apache Hive 4.0.1 image ships the full Hadoop 3.3.6 distribution: this enables its shell profile
# libexec/shellprofile.d/hadoop-aws.sh, which puts share/hadoop/tools/lib's hadoop-aws-3.3.6 and
# aws-java-sdk-bundle-1.12.367 (S3A and the SDK v1 credential providers of core-site.xml) on the classpath.
- name: HADOOP_OPTIONAL_TOOLS
  value: hadoop-aws
- name: HADOOP_HEAPSIZE
  value: {{ .heapMiB | quote }}
- name: HADOOP_CLIENT_OPTS
  value: {{ printf "-Xmx%dm -Djava.io.tmpdir=/tmp" (.heapMiB | int) | quote }}
- name: HADOOP_LOG_DIR
  value: /tmp/logs
{{- end -}}

{{- define "lakebench.hiveMounts" -}}
- {name: conf, mountPath: /opt/hive/conf-lakebench, readOnly: true}
- {name: aux, mountPath: /opt/hive/aux}
- {name: tmp, mountPath: /tmp}
{{- end -}}

{{- define "lakebench.polarisHost" -}}
{{- include "lakebench.componentName" (dict "root" . "component" "polaris") -}}
{{- end -}}

{{- define "lakebench.catalogUri" -}}
{{- if eq .Values.catalog.type "hive" -}}
{{- printf "thrift://%s:9083" (include "lakebench.hiveHost" .) -}}
{{- else -}}
{{- printf "http://%s:8181/api/catalog" (include "lakebench.polarisHost" .) -}}
{{- end -}}
{{- end -}}

{{/* Environment shared by the Polaris server and its admin tool (same persistence). */}}
{{- define "lakebench.polarisEnv" -}}
- name: QUARKUS_CONFIG_LOCATIONS
  value: /etc/polaris/application.properties
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.postgresSecretName" . }}
      key: username
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.postgresSecretName" . }}
      key: password
# Read by run-java.sh, which starts both Polaris 1.7.0 images: the heap as a share of the memory limit.
- name: JAVA_MAX_MEM_RATIO
  value: {{ .Values.catalog.polaris.heapPercent | quote }}
{{- end -}}

{{- define "lakebench.polarisRootSecretName" -}}
{{- .Values.catalog.polaris.rootCredentialsSecret | default (include "lakebench.componentName" (dict "root" . "component" "polaris-root")) -}}
{{- end -}}

{{- define "lakebench.polarisRootEnv" -}}
- name: ROOT_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.polarisRootSecretName" . }}
      key: clientId
- name: ROOT_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.polarisRootSecretName" . }}
      key: clientSecret
{{- end -}}

{{- define "lakebench.polarisBootstrapEnv" -}}
{{ include "lakebench.polarisRootEnv" . }}
- name: POLARIS_URL
  value: {{ printf "http://%s:8181" (include "lakebench.polarisHost" .) | quote }}
- name: POLARIS_HEALTH_URL
  value: {{ printf "http://%s:8182/q/health/ready" (include "lakebench.polarisHost" .) | quote }}
- name: POLARIS_REALM
  value: {{ .Values.catalog.polaris.realm | quote }}
- name: PYTHONDONTWRITEBYTECODE
  value: "1"
{{- end -}}

{{/* Written by the bootstrap Job: the lakebench principal's OAuth2 client credentials. */}}
{{- define "lakebench.polarisClientSecretName" -}}
{{- include "lakebench.componentName" (dict "root" . "component" "polaris-client") -}}
{{- end -}}

{{- define "lakebench.polarisClientEnv" -}}
- name: POLARIS_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.polarisClientSecretName" . }}
      key: clientId
- name: POLARIS_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "lakebench.polarisClientSecretName" . }}
      key: clientSecret
{{- end -}}

{{/* Engines ---------------------------------------------------------------------------------- */}}
{{- define "lakebench.trinoHost" -}}
{{- include "lakebench.componentName" (dict "root" . "component" "trino") -}}
{{- end -}}

{{- define "lakebench.sparkThriftHost" -}}
{{- include "lakebench.componentName" (dict "root" . "component" "spark-thrift") -}}
{{- end -}}

{{/* host:port pairs the runner waits for before it starts. */}}
{{- define "lakebench.catalogEndpoint" -}}
{{- if eq .Values.catalog.type "hive" -}}
{{- printf "%s:9083" (include "lakebench.hiveHost" .) -}}
{{- else -}}
{{- printf "%s:8181" (include "lakebench.polarisHost" .) -}}
{{- end -}}
{{- end -}}

{{- define "lakebench.engineEndpoint" -}}
{{- if eq .Values.queryEngine "trino" -}}
{{- printf "%s:%v" (include "lakebench.trinoHost" .) .Values.trino.port -}}
{{- else if eq .Values.queryEngine "spark-thrift" -}}
{{- printf "%s:%v" (include "lakebench.sparkThriftHost" .) .Values.spark.thrift.port -}}
{{- end -}}
{{- end -}}

{{/* Quantities: "500m" / 2 → cores as a number; "3Gi" / "512Mi" / "4G" → GiB as a number. */}}
{{- define "lakebench.cpuCores" -}}
{{- $q := toString . -}}
{{- if hasSuffix "m" $q -}}{{- divf (trimSuffix "m" $q | float64) 1000 -}}{{- else -}}{{- $q | float64 -}}{{- end -}}
{{- end -}}

{{- define "lakebench.memoryGiB" -}}
{{- $q := toString . -}}
{{- $units := dict "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "K" 1000.0 "M" 1000000.0 "G" 1000000000.0 "T" 1000000000000.0 -}}
{{- $bytes := 0.0 -}}
{{- $matched := false -}}
{{- range $suffix := list "Ki" "Mi" "Gi" "Ti" "K" "M" "G" "T" -}}
{{- if and (not $matched) (hasSuffix $suffix $q) -}}
{{- $bytes = mulf (trimSuffix $suffix $q | float64) (get $units $suffix) -}}
{{- $matched = true -}}
{{- end -}}
{{- end -}}
{{- if not $matched }}{{ $bytes = $q | float64 }}{{ end -}}
{{- divf $bytes 1073741824.0 -}}
{{- end -}}

{{/* Memory limit in MiB (integer), for JVM heap sizing. */}}
{{- define "lakebench.memoryMiB" -}}
{{- mulf (include "lakebench.memoryGiB" . | float64) 1024.0 | floor | int -}}
{{- end -}}

{{/* Value checks the JSON schema cannot express; each message names the value. */}}
{{- define "lakebench.validate" -}}
{{- /* Values without a usable default, all named in one message so one retry is enough. */ -}}
{{- $missing := list -}}
{{- if not .Values.runner.image.repository -}}
{{- $missing = append $missing "runner.image.repository is required: no public registry serves the runner image; build it from the repository's Dockerfile, push it to your registry and set runner.image.repository (and runner.image.tag, default the chart's appVersion); chart README, \"The runner image\"" -}}
{{- end -}}
{{- if not .Values.storage.garage.enabled -}}
{{- if not .Values.storage.s3.endpoint -}}
{{- $missing = append $missing "storage.s3.endpoint is required: set it to your S3 endpoint URL, or set storage.garage.enabled=true for the in-chart Garage" -}}
{{- end -}}
{{- if not .Values.storage.s3.existingSecret -}}
{{- $missing = append $missing "storage.s3.existingSecret is required: name a Secret holding the S3 access key id and secret access key, or set storage.garage.enabled=true" -}}
{{- end -}}
{{- end -}}
{{- if $missing -}}
{{- fail (printf "\n- %s" (join "\n- " $missing)) -}}
{{- end -}}
{{- if and (eq .Values.tableFormat "delta") (eq .Values.catalog.type "polaris") -}}
{{- fail "tableFormat=delta needs catalog.type=hive: the validated Delta combination is Hive/Delta/Trino" -}}
{{- end -}}
{{- if and (eq .Values.tableFormat "delta") (ne .Values.queryEngine "trino") -}}
{{- fail "tableFormat=delta needs queryEngine=trino: the validated Delta combination is Hive/Delta/Trino" -}}
{{- end -}}
{{- end -}}
