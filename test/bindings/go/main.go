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
	cdk8slgtm.NewLgtmStack(app, jsii.String("lgtm"), &cdk8slgtm.LgtmStackProps{
		Profile: cdk8slgtm.StackProfile_MINIKUBE(), // or StackProfile_PRODUCTION(), with ObjectStorage
		// required: never a silent black hole
		Alertmanager: &cdk8slgtm.AlertmanagerProps{
			DefaultReceiver: cdk8slgtm.AlertReceiver_Slack(jsii.String("slack"), &cdk8slgtm.SlackReceiverOptions{
				ApiUrl:  &cdk8slgtm.SecretKeyReference{SecretName: jsii.String("alertmanager-slack"), Key: jsii.String("webhook-url")},
				Channel: jsii.String("#alerts"),
			}),
		},
		Grafana: &cdk8slgtm.GrafanaProps{ // no default password
			AdminSecret: &cdk8slgtm.GrafanaAdminSecret{Name: jsii.String("grafana-admin"), UserKey: jsii.String("admin-user"), PasswordKey: jsii.String("admin-password")},
		},
	})
	app.Synth()
}
