// The README example (examples/readme-usage.ts), written in Java against the jar jsii-pacmak builds.
// scripts/bindings-test.sh synthesizes it and requires YAML byte-identical to the TypeScript synth.
// The output folder comes from CDK8S_OUTDIR, as for any cdk8s app.
package example;


import dev.cdk8slgtm.AlertReceiver;
import dev.cdk8slgtm.AlertmanagerProps;
import dev.cdk8slgtm.GrafanaAdminSecret;
import dev.cdk8slgtm.GrafanaProps;
import dev.cdk8slgtm.LgtmStack;
import dev.cdk8slgtm.SecretKeyReference;
import dev.cdk8slgtm.SlackReceiverOptions;
import dev.cdk8slgtm.StackProfile;
import org.cdk8s.App;

public final class Main {
  public static void main(final String[] args) {
    App app = new App();
    LgtmStack.Builder.create(app, "lgtm")
        .profile(StackProfile.MINIKUBE) // or StackProfile.PRODUCTION, with objectStorage
        // required: never a silent black hole
        .alertmanager(AlertmanagerProps.builder()
            .defaultReceiver(AlertReceiver.slack("slack", SlackReceiverOptions.builder()
                .apiUrl(SecretKeyReference.builder().secretName("alertmanager-slack").key("webhook-url").build())
                .channel("#alerts")
                .build()))
            .build())
        .grafana(GrafanaProps.builder() // no default password
            .adminSecret(GrafanaAdminSecret.builder().name("grafana-admin").userKey("admin-user").passwordKey("admin-password").build())
            .build())
        .build();
    app.synth();
  }
}
