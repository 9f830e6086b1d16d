// The README example (examples/readme-usage.ts), written in Java against the jar jsii-pacmak builds.
// scripts/bindings-test.sh synthesizes it and requires YAML byte-identical to the TypeScript synth.
// The output folder comes from CDK8S_OUTDIR, as for any cdk8s app.
package example;


import dev.cdk8slgtm.AlertReceiver;
import dev.cdk8slgtm.Alertmanager;
import dev.cdk8slgtm.AlloyLogs;
import dev.cdk8slgtm.Grafana;
import dev.cdk8slgtm.GrafanaAdminSecret;
import dev.cdk8slgtm.KubeletMonitor;
import dev.cdk8slgtm.KubernetesWorkloadRules;
import dev.cdk8slgtm.KubeStateMetrics;
import dev.cdk8slgtm.Loki;
import dev.cdk8slgtm.Prometheus;
import dev.cdk8slgtm.PrometheusOperator;
import dev.cdk8slgtm.PrometheusOperatorCrds;
import dev.cdk8slgtm.SecretKeyReference;
import dev.cdk8slgtm.SlackReceiverOptions;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Duration;

public final class Main {
  public static void main(final String[] args) {
    App app = new App();
    new PrometheusOperatorCrds(new Chart(app, "00-crds"), "Crds"); // sync wave -10, server-side apply

    Chart chart = new Chart(app, "monitoring");
    String namespace = "monitoring";
    PrometheusOperator.Builder.create(chart, "Operator").namespace(namespace).build();
    Prometheus prometheus = Prometheus.Builder.create(chart, "Prometheus").namespace(namespace).retention(Duration.days(15)).build();
    Alertmanager alertmanager = Alertmanager.Builder.create(chart, "Alertmanager")
        .namespace(namespace)
        // required: never a silent black hole
        .defaultReceiver(AlertReceiver.slack("slack", SlackReceiverOptions.builder()
            .apiUrl(SecretKeyReference.builder().secretName("alertmanager-slack").key("webhook-url").build())
            .channel("#alerts")
            .build()))
        .build();
    prometheus.addAlertmanager(alertmanager);
    // the workload alerts read kube-state-metrics and the kubelet's cAdvisor: both are scraped here
    KubeStateMetrics.Builder.create(chart, "KubeStateMetrics").namespace(namespace).build();
    KubeletMonitor.Builder.create(chart, "KubeletMonitor").namespace(namespace).build();
    KubernetesWorkloadRules.Builder.create(chart, "WorkloadRules").namespace(namespace).build();

    Loki loki = Loki.Builder.create(chart, "Loki").namespace(namespace).build(); // Monolithic on a PVC by default
    AlloyLogs logs = AlloyLogs.Builder.create(chart, "Logs").namespace("monitoring-agents").build();
    logs.addLogsDestination(loki); // push URL taken from `loki`

    Grafana grafana = Grafana.Builder.create(chart, "Grafana")
        .namespace(namespace)
        .adminSecret(GrafanaAdminSecret.builder().name("grafana-admin").userKey("admin-user").passwordKey("admin-password").build())
        .build();
    grafana.addDatasource(prometheus); // stable UIDs, correlations wired
    grafana.addDatasource(loki);
    grafana.addDatasource(alertmanager);

    app.synth();
  }
}
