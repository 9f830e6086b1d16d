// The README example (examples/readme-usage.ts), written in Go against the module jsii-pacmak builds.
// scripts/bindings-test.sh synthesizes it and requires YAML byte-identical to the TypeScript synth.
// The output folder comes from CDK8S_OUTDIR, as for any cdk8s app.
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-lgtm/cdk8s-lgtm-go/cdk8slgtm"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	app := cdk8s.NewApp(nil)
	cdk8slgtm.NewPrometheusOperatorCrds(cdk8s.NewChart(app, jsii.String("00-crds"), nil), jsii.String("Crds"), nil) // sync wave -10, server-side apply

	chart := cdk8s.NewChart(app, jsii.String("monitoring"), nil)
	namespace := jsii.String("monitoring")
	cdk8slgtm.NewPrometheusOperator(chart, jsii.String("Operator"), &cdk8slgtm.PrometheusOperatorProps{Namespace: namespace})
	prometheus := cdk8slgtm.NewPrometheus(chart, jsii.String("Prometheus"), &cdk8slgtm.PrometheusProps{
		Namespace: namespace,
		Retention: cdk8s.Duration_Days(jsii.Number(15)),
	})
	alertmanager := cdk8slgtm.NewAlertmanager(chart, jsii.String("Alertmanager"), &cdk8slgtm.AlertmanagerProps{
		Namespace:       namespace,
		// required: never a silent black hole
		DefaultReceiver: cdk8slgtm.AlertReceiver_Slack(jsii.String("slack"), &cdk8slgtm.SlackReceiverOptions{
			ApiUrl:  &cdk8slgtm.SecretKeyReference{SecretName: jsii.String("alertmanager-slack"), Key: jsii.String("webhook-url")},
			Channel: jsii.String("#alerts"),
		}),
	})
	prometheus.AddAlertmanager(alertmanager)
	// the workload alerts read kube-state-metrics and the kubelet's cAdvisor: both are scraped here
	cdk8slgtm.NewKubeStateMetrics(chart, jsii.String("KubeStateMetrics"), &cdk8slgtm.KubeStateMetricsProps{Namespace: namespace})
	cdk8slgtm.NewKubeletMonitor(chart, jsii.String("KubeletMonitor"), &cdk8slgtm.KubeletMonitorProps{Namespace: namespace})
	cdk8slgtm.NewKubernetesWorkloadRules(chart, jsii.String("WorkloadRules"), &cdk8slgtm.KubernetesWorkloadRulesProps{Namespace: namespace})

	loki := cdk8slgtm.NewLoki(chart, jsii.String("Loki"), &cdk8slgtm.LokiProps{Namespace: namespace}) // Monolithic on a PVC by default
	logs := cdk8slgtm.NewAlloyLogs(chart, jsii.String("Logs"), &cdk8slgtm.AlloyLogsProps{Namespace: jsii.String("monitoring-agents")})
	logs.AddLogsDestination(loki) // push URL taken from `loki`

	grafana := cdk8slgtm.NewGrafana(chart, jsii.String("Grafana"), &cdk8slgtm.GrafanaProps{
		Namespace:   namespace,
		AdminSecret: &cdk8slgtm.GrafanaAdminSecret{Name: jsii.String("grafana-admin"), UserKey: jsii.String("admin-user"), PasswordKey: jsii.String("admin-password")},
	})
	grafana.AddDatasource(prometheus, nil) // stable UIDs, correlations wired
	grafana.AddDatasource(loki, nil)
	grafana.AddDatasource(alertmanager, nil)

	app.Synth()
}
