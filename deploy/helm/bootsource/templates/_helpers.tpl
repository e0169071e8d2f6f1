{{/* The base name of every object. */}}
{{- define "bootsource.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default "bootsource" .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bootsource.selectorLabels" -}}
app.kubernetes.io/name: bootsource
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bootsource.labels" -}}
{{ include "bootsource.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: bootsource
{{- end -}}

{{- define "bootsource.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}

{{- define "bootsource.webhookService" -}}
{{ include "bootsource.fullname" . }}-webhook
{{- end -}}

{{- define "bootsource.webhookSecret" -}}
{{ include "bootsource.fullname" . }}-webhook-tls
{{- end -}}

{{- define "bootsource.runbookUrl" -}}
{{ trimSuffix "/" .root.Values.metrics.prometheusRule.runbookBaseUrl }}/{{ .alert }}.md
{{- end -}}
