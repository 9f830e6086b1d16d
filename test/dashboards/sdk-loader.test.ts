/* eslint-disable @typescript-eslint/no-require-imports */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { DATASOURCES } from './fixtures';
import { SDK_PACKAGES, sdkDistDir, sdkFileOf, sdkLoadedFiles, sdkPackage, sdkTslib } from '../../src/dashboards/sdk-loader';

const LOADER = '../../src/dashboards/sdk-loader';

/** The JSON of every dashboard built with the SDK (src/dashboards, Kepler, OpenCost), with the modules of this registry. */
function renderAll(): string[] {
  const d = require('../../src/dashboards');
  const { KeplerDashboard } = require('../../src/kepler/dashboard');
  const { OpenCostDashboard } = require('../../src/opencost/dashboard');
  const scope: Construct = Testing.chart();
  const all = [
    new d.PlatformOverviewDashboard(scope, 'Overview'),
    new d.GoldenSignalsDashboard(scope, 'Orders', { serviceName: 'order-service' }),
    ...new d.StackDashboards(scope, 'Self').all,
    new KeplerDashboard(scope, 'Kepler'),
    new OpenCostDashboard(scope, 'OpenCost'),
  ];
  return all.map((x) => x.renderJson(DATASOURCES));
}

const realIndex = (pkg: string): any => require(`@grafana/grafana-foundation-sdk/${pkg}`);

// first, while nothing else has been loaded through the loader
test('the shipped dashboards load only builder and types files of the served packages, never an index', () => {
  renderAll();
  const files = sdkLoadedFiles().map((f) => path.relative(sdkDistDir(), f));
  expect(files.length).toBeGreaterThan(0);
  expect(files.length).toBeLessThan(30);
  for (const f of files) {
    const [pkg, file, ...rest] = f.split(path.sep);
    expect(rest).toEqual([]);
    expect(SDK_PACKAGES).toContain(pkg);
    expect(file).toMatch(/^(types|[a-z][A-Za-z0-9]*Builder)\.gen\.js$/);
  }
});

test('the JSON of every SDK-built dashboard is the same as with the SDK entry points', () => {
  const viaLoader = renderAll();
  let viaIndexes: string[] = [];
  jest.isolateModules(() => {
    jest.doMock(LOADER, () => ({ ...jest.requireActual(LOADER), sdkPackage: realIndex }));
    viaIndexes = renderAll();
  });
  jest.dontMock(LOADER);
  expect(viaIndexes.length).toBe(viaLoader.length);
  viaLoader.forEach((json, i) => expect(json).toBe(viaIndexes[i]));
});

describe.each(SDK_PACKAGES.map((p) => [p]))('SDK package %s', (pkg) => {
  test('every name of the installed index is exported by the file the loader reads it from', () => {
    const real = realIndex(pkg);
    const names = Object.keys(real).filter((n) => n !== '__esModule');
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const file = path.join(sdkDistDir(), pkg, sdkFileOf(name));
      expect([name, fs.existsSync(file)]).toEqual([name, true]);
      expect([name, require(file)[name] === real[name]]).toEqual([name, true]);
    }
  });

  test('the stand-in serves every name of the index as the SDK defines it, and undefined for others', () => {
    const real = realIndex(pkg);
    const standIn = sdkPackage(pkg);
    expect(standIn.__esModule).toBe(true);
    for (const name of Object.keys(real).filter((n) => n !== '__esModule')) {
      const [ours, theirs] = [standIn[name], real[name]];
      expect([name, typeof ours]).toEqual([name, typeof theirs]);
      if (typeof theirs === 'function') expect([name, ours.name, String(ours)]).toEqual([name, theirs.name, String(theirs)]);
      else expect([name, ours]).toEqual([name, theirs]);
    }
    expect(standIn.NoSuchBuilder).toBeUndefined();
    expect(standIn.noSuchName).toBeUndefined();
    expect(sdkPackage(pkg)).toBe(standIn);
  });
});

test('a builder from the loader builds what the SDK builds', () => {
  const ours = new (sdkPackage('timeseries').PanelBuilder)().title('t').unit('s').build();
  const theirs = new (realIndex('timeseries').PanelBuilder)().title('t').unit('s').build();
  expect(ours).toEqual(theirs);
});

test('the tslib stand-in: __importStar of a stand-in is the stand-in, anything else is tslib\'s', () => {
  const real = require(require.resolve('tslib', { paths: [sdkDistDir()] })); // the SDK's own
  const standIn = sdkPackage('dashboard');
  expect(sdkTslib().__importStar(standIn)).toBe(standIn);
  const cjs = { a: 1 };
  expect(sdkTslib().__importStar(cjs)).toEqual(real.__importStar(cjs));
  expect(String(sdkTslib().__importDefault)).toBe(String(real.__importDefault));
});

test('where code generation from strings is disallowed, the files are compiled with vm (same builders)', () => {
  const code = `const l = require('./src/dashboards/sdk-loader.ts');
    process.stdout.write(JSON.stringify(new (l.sdkPackage('timeseries').PanelBuilder)().title('t').unit('s').build()));`;
  const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '-r', 'ts-node/register/transpile-only', '-e', code], {
    cwd: path.join(__dirname, '..', '..'),
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual(new (realIndex('timeseries').PanelBuilder)().title('t').unit('s').build());
});
