# The README example (examples/readme-usage.ts), written in Python against the wheel jsii-pacmak builds.
# scripts/bindings-test.sh synthesizes it and requires YAML byte-identical to the TypeScript synth.
# The output folder comes from CDK8S_OUTDIR, as for any cdk8s app.
from cdk8s import App
from cdk8s_lgtm import (
    AlertmanagerProps, AlertReceiver, GrafanaAdminSecret, GrafanaProps, LgtmStack, SecretKeyReference, StackProfile,
)

app = App()
LgtmStack(
    app, "lgtm",
    profile=StackProfile.MINIKUBE,  # or StackProfile.PRODUCTION, with object_storage
    # required: never a silent black hole
    alertmanager=AlertmanagerProps(default_receiver=AlertReceiver.slack(
        "slack",
        api_url=SecretKeyReference(secret_name="alertmanager-slack", key="webhook-url"),
        channel="#alerts",
    )),
    grafana=GrafanaProps(  # no default password
        admin_secret=GrafanaAdminSecret(name="grafana-admin", user_key="admin-user", password_key="admin-password"),
    ),
)
app.synth()
