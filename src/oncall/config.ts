/**
 * The configuration of the Grafana OnCall engine, celery workers and migration, as a typed structure of
 * the environment variables OnCall v1.16.9 reads (engine/settings/base.py, settings/helm.py and the
 * Helm chart's templates/_env.tpl at that tag), rendered to container `env` at synth. Secrets are never
 * values: they are `secretKeyRef`s. Internal: not part of the jsii API.
 */
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { SecretKeyReference } from '../prometheus/common';

/** The pinned OnCall version this shape is written against. */
export const ONCALL_CONFIG_VERSION = 'v1.16.9';

/** Settings every OnCall process (engine, celery, migration) shares. */
export interface OnCallCommonEnv {
  readonly BASE_URL: string;
  readonly SECRET_KEY: SecretKeyReference;
  readonly MIRAGE_SECRET_KEY: SecretKeyReference;
  readonly MIRAGE_CIPHER_IV: SecretKeyReference;
  readonly DJANGO_SETTINGS_MODULE: 'settings.helm';
  readonly OSS: 'True';
  readonly DETACHED_INTEGRATIONS_SERVER: 'False';
  readonly BROKER_TYPE: 'redis';
  readonly GRAFANA_API_URL: string;
  readonly FEATURE_PROMETHEUS_EXPORTER_ENABLED: 'True' | 'False';
  readonly FEATURE_SLACK_INTEGRATION_ENABLED: 'False';
  readonly FEATURE_TELEGRAM_INTEGRATION_ENABLED: 'False';
  readonly FEATURE_EMAIL_INTEGRATION_ENABLED: 'False';
  readonly DATABASE_TYPE: string;
  readonly DATABASE_HOST: string;
  readonly DATABASE_PORT: number;
  readonly DATABASE_NAME: string;
  readonly DATABASE_USER: string;
  readonly DATABASE_PASSWORD: SecretKeyReference;
  /** `key=value key=value` (settings/base.py splits on spaces and `=`). */
  readonly DATABASE_OPTIONS?: string;
  readonly REDIS_PASSWORD: SecretKeyReference;
  /** Built from `$(REDIS_PASSWORD)`, expanded by the kubelet: the password never appears in the YAML. */
  readonly REDIS_URI: string;
  readonly REDIS_USE_SSL?: 'true';
}

/** The celery worker's settings (celery_with_exporter.sh). */
export interface OnCallCeleryEnv {
  readonly CELERY_WORKER_QUEUE: string;
  readonly CELERY_WORKER_CONCURRENCY: number;
  readonly CELERY_WORKER_MAX_TASKS_PER_CHILD: number;
  readonly CELERY_WORKER_BEAT_ENABLED: 'True' | 'False';
  /** The beat schedule file (the image's working directory is read-only). */
  readonly CELERY_BEAT_SCHEDULE_FILENAME: string;
}

/** The queues of the upstream chart's default worker (values.yaml `celery.worker_queue`). */
export const CELERY_QUEUES = ['default', 'critical', 'long', 'slack', 'telegram', 'webhook', 'celery', 'grafana', 'retry'];

/** Renders a typed env structure to container env, in key order as written; `undefined` is left out. */
export function renderEnv(env: object): k8s.EnvVar[] {
  const out: k8s.EnvVar[] = [];
  for (const [name, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (typeof v === 'object') {
      const ref = v as SecretKeyReference;
      out.push({ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } });
    } else {
      out.push({ name, value: String(v) });
    }
  }
  // `$(VAR)` references resolve only against variables defined earlier in the list
  const refs = out.filter((e) => e.value !== undefined && /\$\([A-Z_]+\)/.test(e.value));
  return [...out.filter((e) => !refs.includes(e)), ...refs];
}
