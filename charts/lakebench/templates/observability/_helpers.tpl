{{/* Observability helpers: who scrapes the release, names, the PostgreSQL exporter sidecar. */}}

{{/* "true" when something scrapes this release (the in-release Prometheus or the Operator's monitors):
the runner then serves its gauges and the Spark drivers their PrometheusServlet. */}}
{{- define "lakebench.scrapesRelease" -}}
{{- if or .Values.observability.enabled .Values.observability.monitors }}true{{ end -}}
{{- end -}}

{{- define "lakebench.prometheusHost" -}}
{{- include "lakebench.componentName" (dict "root" . "component" "prometheus") -}}
{{- end -}}

{{- define "lakebench.grafanaHost" -}}
{{- include "lakebench.componentName" (dict "root" . "component" "grafana") -}}
{{- end -}}

{{- define "lakebench.grafanaSecretName" -}}
{{- .Values.observability.grafana.admin.existingSecret | default (include "lakebench.componentName" (dict "root" . "component" "grafana-admin")) -}}
{{- end -}}

{{/* The uid of the provisioned Prometheus data source; the dashboard's datasource variable defaults to it. */}}
{{- define "lakebench.prometheusDatasourceUid" -}}lakebench-prometheus{{- end -}}

{{/* The user name Prometheus gives Trino: Trino answers /metrics only to a named user (401 otherwise);
the chart configures no Trino authentication, so a name without password is accepted. */}}
{{- define "lakebench.trinoMetricsUser" -}}lakebench-prometheus{{- end -}}

{{/* postgres_exporter next to PostgreSQL (observability.postgresExporter.enabled): it connects over
127.0.0.1 with the credentials of the PostgreSQL Secret, read from the environment. */}}
{{- define "lakebench.postgresExporterContainer" -}}
{{- $x := .Values.observability.postgresExporter }}
{{- if $x.enabled }}
- name: postgres-exporter
  image: {{ include "lakebench.image" (dict "image" $x.image) }}
  imagePullPolicy: {{ $x.image.pullPolicy }}
  args:
    - {{ printf "--web.listen-address=:%v" $x.port | quote }}
  env:
    - name: DATA_SOURCE_URI
      value: {{ printf "127.0.0.1:5432/%s?sslmode=disable" .Values.postgres.database | quote }}
    - name: DATA_SOURCE_USER
      valueFrom:
        secretKeyRef:
          name: {{ include "lakebench.postgresSecretName" . }}
          key: username
    - name: DATA_SOURCE_PASS
      valueFrom:
        secretKeyRef:
          name: {{ include "lakebench.postgresSecretName" . }}
          key: password
  ports:
    - name: metrics
      containerPort: {{ $x.port }}
  securityContext:
    {{- include "lakebench.containerSecurityContext" . | nindent 4 }}
  resources:
    {{- toYaml $x.resources | nindent 4 }}
{{- end }}
{{- end -}}

{{/* Relabelling shared by every scrape job: running pods only, and the labels the dashboard filters on. */}}
{{- define "lakebench.prometheusPodLabels" -}}
- source_labels: [__meta_kubernetes_pod_phase]
  regex: Running
  action: keep
- source_labels: [__meta_kubernetes_namespace]
  target_label: namespace
- source_labels: [__meta_kubernetes_pod_name]
  target_label: pod
- source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_component]
  target_label: component
{{- end -}}

{{/* One pod-discovery scrape job: (dict "root" $ "job" name "components" regex "port" portName "path" path),
optionally "user" (a basic-auth user name without password) and "extra" (more relabelling rules). */}}
{{- define "lakebench.prometheusPodJob" -}}
- job_name: {{ .job }}
  metrics_path: {{ .path }}
  {{- with .user }}
  basic_auth:
    username: {{ . }}
  {{- end }}
  kubernetes_sd_configs:
    - role: pod
      namespaces:
        names: [{{ .root.Release.Namespace | quote }}]
  relabel_configs:
    # This release's pods of the scraped component, on the one container port that serves metrics.
    - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_instance, __meta_kubernetes_pod_label_app_kubernetes_io_component, __meta_kubernetes_pod_container_port_name]
      regex: {{ printf "%s;%s;%s" .root.Release.Name .components .port | quote }}
      action: keep
    {{- with .extra }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- include "lakebench.prometheusPodLabels" . | nindent 4 }}
{{- end -}}
