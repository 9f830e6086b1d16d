import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { annotateCrdBytes, CRD_ANNOTATIONS } from './crd-text';
import { fail, show } from '../core/errors';
import { cdk8sYaml, VerbatimApiObject } from '../core/verbatim';

/**
 * The vendored prometheus-operator CRDs (0.93.0), shipped in the npm package under `crds/`. Resolved
 * relative to this module, so it works from `src/prometheus` (tests) and `lib/prometheus` (package).
 */
const VENDORED_CRDS_DIR = path.join(__dirname, '..', '..', 'crds');

/** Properties of `PrometheusOperatorCrds`. */
export interface PrometheusOperatorCrdsProps {
  /**
   * Folder holding the `monitoring.coreos.com_*.yaml` CRD files.
   * @default - the CRDs vendored with this library (prometheus-operator 0.93.0)
   */
  readonly directory?: string;
}

/**
 * The ten prometheus-operator CustomResourceDefinitions, emitted as they are vendored (0.93.0) plus two
 * Argo CD annotations: sync wave -10 (before the namespace at -5 and every custom resource at 0) and
 * `ServerSideApply=true` (the Prometheus CRD is 809,916 bytes; client-side apply stores the whole object
 * in the 262,144-byte `last-applied-configuration` annotation and fails).
 *
 * The files are copied as text (the annotations are inserted as two lines), never parsed and written
 * again: the output is byte for byte the vendored file plus the two lines. A file in another layout, a
 * chart with labels or a namespace, or a JSON patch on a CRD object fall back to parsing it.
 *
 * Put this construct in its own chart named so that its file sorts first (the reference stack uses
 * `00-crds`), then apply it with `kubectl apply --server-side` and wait for `Established`.
 */
export class PrometheusOperatorCrds extends Construct {
  /** Folder of the vendored CRDs (`crds/` of the package). */
  public static readonly VENDORED_DIRECTORY: string = VENDORED_CRDS_DIR;
  /** The annotations added to every CRD (sync wave -10, server-side apply). */
  public static readonly ANNOTATIONS: { [key: string]: string } = CRD_ANNOTATIONS;

  /** The CRD objects, in file order. */
  public readonly crds: ApiObject[] = [];
  /** Names of the CRDs (`prometheuses.monitoring.coreos.com`, ...). */
  public readonly crdNames: string[] = [];

  constructor(scope: Construct, id: string, props: PrometheusOperatorCrdsProps = {}) {
    super(scope, id);
    const dir = props.directory ?? VENDORED_CRDS_DIR;
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^monitoring\.coreos\.com_.*\.ya?ml$/.test(f)).sort() : [];
    if (files.length === 0) {
      fail(this, {
        problem: "'directory' holds no prometheus-operator CRD file",
        received: show(dir),
        expected: 'a folder with monitoring.coreos.com_*.yaml CustomResourceDefinition files',
        fix: 'leave `directory` unset to use the vendored 0.93.0 CRDs, or point it at the CRDs of your operator release',
      });
    }
    for (const f of files) {
      const raw = fs.readFileSync(path.join(dir, f));
      const obj = this.fromText(raw, dir === VENDORED_CRDS_DIR) ?? this.parsed(f, raw.toString('utf8'));
      this.crds.push(obj);
      this.crdNames.push(obj.name);
    }
  }

  /** The fast path: the file as text plus the annotation lines. */
  private fromText(raw: Buffer, vendored: boolean): ApiObject | undefined {
    const crd = annotateCrdBytes(raw, vendored);
    if (!crd) return undefined;
    let body: any;
    const parse = () => (body ??= cdk8sYaml().parse(crd.bytes.toString('utf8')));
    return new VerbatimApiObject(this, crd.kind, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: crd.metadata,
      spec: Lazy.any({ produce: () => parse().spec }),
      text: { bytes: crd.bytes },
      textMetadata: crd.metadata,
    });
  }

  /** Any other layout: parsed, annotated and written by cdk8s. */
  private parsed(f: string, raw: string): ApiObject {
    const crd = cdk8sYaml().parse(raw);
    if (crd?.kind !== 'CustomResourceDefinition') {
      fail(this, {
        problem: `${f} is not a CustomResourceDefinition`,
        received: show(crd?.kind),
        expected: 'kind: CustomResourceDefinition',
        fix: "remove the file from 'directory'",
      });
    }
    const { apiVersion, kind, metadata, ...rest } = crd;
    delete rest.status;
    return new ApiObject(this, crd.spec.names.kind, {
      apiVersion,
      kind,
      metadata: {
        name: metadata.name,
        annotations: { ...(metadata.annotations ?? {}), ...CRD_ANNOTATIONS },
        ...(metadata.labels ? { labels: metadata.labels } : {}),
      },
      ...rest,
    });
  }
}
