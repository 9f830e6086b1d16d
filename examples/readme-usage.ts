// The README's usage example, kept as a file so it is type-checked (`tsc -p test/tsconfig.json`).
// test/readme.test.ts checks that the README shows exactly this code (imports from 'cdk8s-lgtm') and runs it.
import { App } from 'cdk8s';
import { AlertReceiver, LgtmStack, StackProfile } from '../src';

const app = new App();
new LgtmStack(app, 'lgtm', {
  profile: StackProfile.MINIKUBE, // or StackProfile.PRODUCTION, with objectStorage
  // required: never a silent black hole
  alertmanager: { defaultReceiver: AlertReceiver.slack('slack', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#alerts' }) },
  grafana: { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } }, // no default password
});
app.synth();
