{{/* Pod template shared by the coordinator and the workers: (dict "root" $ "role" "coordinator"|"worker"). */}}
{{- define "lakebench.trinoPodTemplate" -}}
{{- $ := .root }}
{{- $t := $.Values.trino }}
{{- $component := printf "trino-%s" .role }}
metadata:
  labels:
    {{- include "lakebench.labels" (dict "root" $ "component" $component) | nindent 4 }}
  annotations:
    checksum/config: {{ include (print $.Template.BasePath "/trino/configmap.yaml") $ | sha256sum }}
spec:
  automountServiceAccountToken: false
  securityContext:
    {{- include "lakebench.podSecurityContext" $t.uid | nindent 4 }}
  {{- include "lakebench.podCommon" $ | nindent 2 }}
  terminationGracePeriodSeconds: 60
  containers:
    - name: trino
      image: {{ include "lakebench.image" (dict "image" $t.image) }}
      imagePullPolicy: {{ $t.image.pullPolicy }}
      env:
        {{- include "lakebench.s3Env" $ | nindent 8 }}
        {{- if eq $.Values.catalog.type "polaris" }}
        {{- include "lakebench.polarisClientEnv" $ | nindent 8 }}
        # Composed by the kubelet from the two Secret values above; the manifest holds no secret.
        - name: POLARIS_CREDENTIAL
          value: "$(POLARIS_CLIENT_ID):$(POLARIS_CLIENT_SECRET)"
        {{- end }}
      ports:
        - name: http
          containerPort: {{ $t.port }}
      # Ready once the server has started, not when its HTTP port first answers: /v1/info answers
      # "starting": true while plugins and catalogs still load, and the coordinator then refuses
      # queries and a worker's announcements. The image's own health-check script
      # (/usr/lib/trino/bin/health-check) reads "starting" from /v1/info, as trinodb/charts'
      # readiness probe does; liveness stays on /v1/info, as there.
      readinessProbe:
        exec:
          command: [/usr/lib/trino/bin/health-check]
        periodSeconds: 10
        timeoutSeconds: 5
      livenessProbe:
        httpGet:
          path: /v1/info
          port: http
        initialDelaySeconds: 60
        periodSeconds: 20
        timeoutSeconds: 5
      securityContext:
        {{- include "lakebench.containerSecurityContext" $ | nindent 8 }}
      resources:
        {{- toYaml (index $t .role).resources | nindent 8 }}
      volumeMounts:
        - {name: config, mountPath: /etc/trino, readOnly: true}
        - {name: data, mountPath: /data/trino}
        - {name: tmp, mountPath: /tmp}
        {{- if eq .role "worker" }}
        - {name: spill, mountPath: /data/spill}
        {{- end }}
  volumes:
    # One projected volume (no mount nested in a read-only ConfigMap mount): etc/ and etc/catalog/.
    - name: config
      projected:
        sources:
          - configMap:
              name: {{ include "lakebench.componentName" (dict "root" $ "component" $component) }}
          - configMap:
              name: {{ include "lakebench.componentName" (dict "root" $ "component" "trino-catalog") }}
              items:
                - key: {{ $.Values.catalog.name }}.properties
                  path: catalog/{{ $.Values.catalog.name }}.properties
    - name: data
      emptyDir: {}
    - name: tmp
      emptyDir: {}
{{- end -}}
