{{/* Common spec of the helm test pods: (dict "root" $ "name" "s3-probe" "uid" 10001). */}}
{{- define "lakebench.testPodMeta" -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "lakebench.componentName" (dict "root" .root "component" (printf "test-%s" .name)) }}
  labels:
    {{- include "lakebench.labels" (dict "root" .root "component" "test") | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}

{{- define "lakebench.testPodSpec" -}}
restartPolicy: Never
automountServiceAccountToken: false
securityContext:
  {{- include "lakebench.podSecurityContext" .uid | nindent 2 }}
{{- include "lakebench.podCommon" .root }}
{{- end -}}
