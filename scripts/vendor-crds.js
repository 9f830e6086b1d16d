// Copies the prometheus-operator CRDs from ../shared/crds into crds/ so that the published package
// can render them (PrometheusOperatorCrds). Run by `npx projen import:crds`.
const fs = require('fs');
const path = require('path');
const src = path.join(__dirname, '..', '..', 'shared', 'crds');
const dst = path.join(__dirname, '..', 'crds');
fs.mkdirSync(dst, { recursive: true });
for (const f of fs.readdirSync(src).filter((x) => x.startsWith('monitoring.coreos.com_'))) {
  fs.copyFileSync(path.join(src, f), path.join(dst, f));
}
console.log('vendored CRDs into', dst);
