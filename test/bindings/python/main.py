# The README example (examples/readme-usage.ts), written in Python against the wheel jsii-pacmak builds.
# scripts/bindings-test.sh synthesizes it and requires YAML byte-identical to the TypeScript synth.
# The output folder comes from CDK8S_OUTDIR, as for any cdk8s app.
from cdk8s import App, Chart, Duration
from cdk8s_lgtm import (
    Alertmanager, AlertReceiver, AlloyLogs, Grafana, GrafanaAdminSecret, KubeletMonitor, KubernetesWorkloadRules,
    KubeStateMetrics, Loki, Prometheus, PrometheusOperator, PrometheusOperatorCrds, SecretKeyReference,
)

app = App()
PrometheusOperatorCrds(Chart(app, "00-crds"), "Crds")  # sync wave -10, server-side apply

chart = Chart(app, "monitoring")
namespace = "monitoring"
PrometheusOperator(chart, "Operator", namespace=namespace)
prometheus = Prometheus(chart, "Prometheus", namespace=namespace, retention=Duration.days(15))
alertmanager = Alertmanager(
    chart, "Alertmanager",
    namespace=namespace,
    # required: never a silent black hole
    default_receiver=AlertReceiver.slack(
        "slack",
        api_url=SecretKeyReference(secret_name="alertmanager-slack", key="webhook-url"),
        channel="#alerts",
    ),
)
prometheus.add_alertmanager(alertmanager)
# the workload alerts read kube-state-metrics and the kubelet's cAdvisor: both are scraped here
KubeStateMetrics(chart, "KubeStateMetrics", namespace=namespace)
KubeletMonitor(chart, "KubeletMonitor", namespace=namespace)
KubernetesWorkloadRules(chart, "WorkloadRules", namespace=namespace)

loki = Loki(chart, "Loki", namespace=namespace)  # Monolithic on a PVC by default
logs = AlloyLogs(chart, "Logs", namespace="monitoring-agents")
logs.add_logs_destination(loki)  # push URL taken from `loki`

grafana = Grafana(
    chart, "Grafana",
    namespace=namespace,
    admin_secret=GrafanaAdminSecret(name="grafana-admin", user_key="admin-user", password_key="admin-password"),
)
grafana.add_datasource(prometheus)  # stable UIDs, correlations wired
grafana.add_datasource(loki)
grafana.add_datasource(alertmanager)

app.synth()
