#!/usr/bin/env python3
"""
Regenerates src/core/provenance/*.generated.ts: the metric names each exporter and component of the
stack produces at its pinned version, taken from upstream source at the pinned tag (never copied:
only the names are kept).

Inputs are bare git mirrors of the upstream repositories (the `fetch` tool of the development
environment puts them under /work/.mirror/<owner>+<name>/repo) and the Go module cache
(k8s.io/kubernetes and github.com/google/cadvisor/lib, as a kube-apiserver build leaves them).
Run: python3 scripts/gen-provenance.py [/work/.mirror] [source-id ...] (ids: only those lists)
How names are found (per source): the metric tables of the kube-state-metrics docs; node-exporter's
end-to-end fixture (the exposition of every Linux collector); for Go sources, every client_golang
`*Opts{Namespace, Subsystem, Name}` literal and `NewDesc(...)` name, constants resolved in the
package; the OpenTelemetry Collector's `metadata.yaml` telemetry sections. Histograms expand to
_bucket/_sum/_count, summaries to the name plus _sum/_count.
"""
import collections, glob, json, os, re, subprocess, sys, tempfile

MIRROR = sys.argv[1] if len(sys.argv) > 1 else '/work/.mirror'
ONLY = set(sys.argv[2:])
GOMOD = os.path.expanduser('~/go/pkg/mod')
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'core', 'provenance')
NAME = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*$')


def git(repo, *args):
    return subprocess.run(['git', '--git-dir', f'{MIRROR}/{repo}/repo', *args], capture_output=True, check=True).stdout


def checkout(repo, tag, path_re='.', exts=('.go',)):
    """The files of `repo` at `tag` (blobs the mirror lacks are skipped) in a temporary directory."""
    d = tempfile.mkdtemp()
    for line in git(repo, 'ls-tree', '-r', tag).decode().splitlines():
        meta, p = line.split('\t', 1)
        sha = meta.split()[2]
        if not p.endswith(exts) or p.endswith('_test.go') or '/vendor/' in '/' + p or '/testdata/' in p or not re.search(path_re, p):
            continue
        try:
            blob = git(repo, 'cat-file', 'blob', sha)
        except subprocess.CalledProcessError:
            continue
        os.makedirs(os.path.join(d, os.path.dirname(p)), exist_ok=True)
        open(os.path.join(d, p), 'wb').write(blob)
    return d


def go_metrics(root, exclude_files=()):
    consts = collections.defaultdict(dict)
    fileconsts = collections.defaultdict(dict)
    files = []
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith('.go') and not f.endswith('_test.go'):
                p = os.path.join(d, f)
                files.append(p)
                for m in re.finditer(r'\b([A-Za-z_][A-Za-z0-9_]*)\s*(?:string\s*)?=\s*"([a-zA-Z0-9_:]*)"', open(p, errors='ignore').read()):
                    consts[d][m.group(1)] = m.group(2)
                    fileconsts[p].setdefault(m.group(1), m.group(2))
    allc = {}
    for d in consts:
        for k, v in consts[d].items():
            allc.setdefault(k, v)

    def val(expr, d, p=None):
        expr = expr.strip()
        m = re.fullmatch(r'"([^"]*)"', expr)
        if m:
            return m.group(1)
        n = expr.split('.')[-1]
        return fileconsts[p].get(n, consts[d].get(n, allc.get(n)))

    out = {}
    kinds = {'Counter': 'counter', 'Gauge': 'gauge', 'Histogram': 'histogram', 'Summary': 'summary'}
    for p in files:
        if os.path.basename(p) in exclude_files:
            continue
        d, src = os.path.dirname(p), open(p, errors='ignore').read()
        for m in re.finditer(r'\b(Counter|Gauge|Histogram|Summary)(?:Vec)?Opts\s*\{', src):
            i = j = m.end()
            depth = 1
            while j < len(src) and depth:
                depth += {'{': 1, '}': -1}.get(src[j], 0)
                j += 1
            body = src[i:j - 1]

            def field(n):
                mm = re.search(r'\b' + n + r'\s*:\s*([^,\n]+)', body)
                return val(mm.group(1), d, p) if mm else ''
            name, ns, sub = field('Name'), field('Namespace'), field('Subsystem')
            if not name or ns is None or sub is None:
                continue
            out['_'.join(x for x in [ns, sub, name] if x)] = kinds[m.group(1)]
        for m in re.finditer(r'(?:\w+\.)?NewDesc\(\s*((?:\w+\.)?BuildFQName\([^)]*\)|[^,]+?),', src):
            e = m.group(1).strip()
            bf = re.fullmatch(r'(?:\w+\.)?BuildFQName\(([\s\S]*)\)', e)
            if bf:
                parts = [val(x, d, p) for x in bf.group(1).split(',')]
                if None in parts:
                    continue
                full = '_'.join(x for x in parts if x)
            else:
                full = val(e, d, p)
            if full:
                out.setdefault(full, 'gauge')
    return out


def expand(metrics):
    names = set()
    for n, kind in metrics.items():
        if not NAME.match(n):
            continue
        if kind == 'histogram':
            names.update([n + '_bucket', n + '_sum', n + '_count'])
        elif kind == 'summary':
            names.update([n, n + '_sum', n + '_count'])
        else:
            names.add(n)
    return sorted(names)


def prefixed(metrics, *prefixes):
    return {k: v for k, v in metrics.items() if k.startswith(prefixes)}


# dskit's HTTP/gRPC server instrumentation (github.com/grafana/dskit/server), which Loki, Tempo and
# Pyroscope embed with their own namespace.
def dskit_server(ns):
    return {f'{ns}_request_duration_seconds': 'histogram', f'{ns}_request_message_bytes': 'histogram',
            f'{ns}_response_message_bytes': 'histogram', f'{ns}_inflight_requests': 'gauge',
            f'{ns}_tcp_connections': 'gauge', f'{ns}_tcp_connections_limit': 'gauge'}


def ksm(tag):
    names = {}
    for line in git('kubernetes+kube-state-metrics', 'ls-tree', '-r', '--name-only', tag, 'docs/metrics').decode().split():
        if 'customresourcestate' in line:
            continue
        for row in git('kubernetes+kube-state-metrics', 'show', f'{tag}:{line}').decode().splitlines():
            m = re.match(r'^\|\s*(kube_[a-z0-9_]+)\s*\|\s*(\w+)', row)
            if m and 'Opt-in' not in row.split('|')[-2]:
                names[m.group(1)] = m.group(2).lower()
    return names


def node_exporter(tag):
    text = git('prometheus+node_exporter', 'show', f'{tag}:collector/fixtures/e2e-output.txt').decode()
    out = {m.group(1): m.group(2) for m in re.finditer(r'^# TYPE (\S+) (\S+)', text, re.M) if m.group(1).startswith('node_')}
    # collectors the fixture cannot exercise (filesystem needs real mounts): their definitions in the source
    for k, v in prefixed(go_metrics(checkout('prometheus+node_exporter', tag, r'^collector/(?!.*_(darwin|freebsd|openbsd|netbsd|dragonfly|solaris|aix|bsd|windows|openbsd_amd64)\.go$)[^/]*\.go$')), 'node_').items():
        out.setdefault(k, v)
    # meminfo names every field of /proc/meminfo (node_memory_<Field>_bytes); the fixture's kernel predates
    # some: these are the fields of a current Linux (Documentation/filesystems/proc.rst)
    for f in ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapCached', 'Active', 'Inactive', 'Active_anon', 'Inactive_anon', 'Active_file', 'Inactive_file', 'Unevictable', 'Mlocked', 'SwapTotal', 'SwapFree', 'Zswap', 'Zswapped', 'Dirty', 'Writeback', 'AnonPages', 'Mapped', 'Shmem', 'KReclaimable', 'Slab', 'SReclaimable', 'SUnreclaim', 'KernelStack', 'PageTables', 'SecPageTables', 'NFS_Unstable', 'Bounce', 'WritebackTmp', 'CommitLimit', 'Committed_AS', 'VmallocTotal', 'VmallocUsed', 'VmallocChunk', 'Percpu', 'HardwareCorrupted', 'AnonHugePages', 'ShmemHugePages', 'ShmemPmdMapped', 'FileHugePages', 'FilePmdMapped', 'CmaTotal', 'CmaFree', 'Hugetlb', 'Hugepagesize', 'DirectMap4k', 'DirectMap2M', 'DirectMap1G']:
        out.setdefault(f'node_memory_{f}_bytes', 'gauge')
    for f in ['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp']:
        out.setdefault(f'node_memory_{f}', 'gauge')
    return out


def cadvisor(path):
    src = ''.join(open(f).read() for f in glob.glob(os.path.join(path, 'metrics', '*.go')) if not f.endswith('_test.go'))
    out = {}
    for m in re.finditer(r'name:\s+"((?:container|machine)_[a-z0-9_]+)",\s*help:\s*"[^"]*",\s*valueType:\s*prometheus\.(\w+)', src):
        out[m.group(1)] = 'counter' if m.group(2) == 'CounterValue' else 'gauge'
    for m in re.finditer(r'name:\s+"((?:container|machine)_[a-z0-9_]+)"', src):
        out.setdefault(m.group(1), 'gauge')
    return out


def otelcol(tag):
    import yaml
    d = checkout('open-telemetry+opentelemetry-collector', tag, r'metadata\.yaml$', ('.yaml',))
    out = {}
    for f in glob.glob(os.path.join(d, '**', 'metadata.yaml'), recursive=True):
        for name, m in ((yaml.safe_load(open(f)) or {}).get('telemetry') or {}).get('metrics', {}).items():
            n = 'otelcol_' + name.replace('.', '_')
            if m.get('sum', {}).get('monotonic'):
                out[n if n.endswith('_total') else n + '_total'] = 'counter'
            elif m.get('histogram'):
                out[n] = 'histogram'
            else:
                out[n] = 'gauge'
    return out


def sq(x):
    # the style of the lint rule: single quotes, double quotes for a string holding an apostrophe
    return json.dumps(x) if "'" in x else "'" + x.replace('\\', '\\\\') + "'"


def blackbox_sources():
    # blackbox_exporter: its own /metrics (config reload, unknown modules) and the series every probe
    # returns on /probe (prober/*.go), kept apart: the probe series exist only where a Probe points at it
    tag = 'v0.28.0'
    allm = go_metrics(checkout('prometheus+blackbox_exporter', tag, r'^(main\.go|config/|prober/)'))
    url = f'https://github.com/prometheus/blackbox_exporter/tree/{tag}'
    return {
        'blackbox-exporter': (prefixed(allm, 'blackbox_'), url, tag, 'client_golang metric definitions of main.go and config/ (the exporter\'s own /metrics)'),
        'blackbox-probes': (prefixed(allm, 'probe_'), f'{url}/prober', tag, 'client_golang metric definitions of prober/*.go (the series of a /probe scrape)'),
    }


def main():
    if ONLY and ONLY <= set(blackbox_sources()):
        write({k: v for k, v in blackbox_sources().items() if k in ONLY})
        return
    k8s = os.path.join(GOMOD, 'k8s.io', 'kubernetes@v1.37.2')
    kubelet_all = go_metrics(os.path.join(k8s, 'pkg', 'kubelet'), exclude_files=('resource_metrics.go',))
    probes = prefixed(kubelet_all, 'prober_')
    kubelet = {k: v for k, v in kubelet_all.items() if k not in probes}
    prom = prefixed(go_metrics(checkout('prometheus+prometheus', 'v3.13.2')), 'prometheus_')
    sources = {
        'kube-state-metrics': (ksm('v2.19.1'), 'https://github.com/kubernetes/kube-state-metrics/tree/v2.19.1/docs/metrics', 'v2.19.1', 'the metric tables of docs/metrics/**/*.md (opt-in and custom-resource metrics left out)'),
        'node-exporter': (node_exporter('v1.12.1'), 'https://github.com/prometheus/node_exporter/blob/v1.12.1/collector/fixtures/e2e-output.txt', 'v1.12.1', "the end-to-end test's exposition of every Linux collector (a superset of the default collectors)"),
        'cadvisor': (cadvisor(os.path.join(GOMOD, 'github.com', 'google', 'cadvisor', 'lib@v0.60.5')), 'https://github.com/google/cadvisor/blob/v0.60.5/metrics/prometheus.go', 'v0.60.5 (the cAdvisor library kubelet v1.37.2 embeds; served on /metrics/cadvisor)', 'the containerMetric and machine metric names of metrics/*.go'),
        'kubelet': (kubelet, 'https://github.com/kubernetes/kubernetes/tree/v1.37.2/pkg/kubelet/metrics', 'kubernetes v1.37.2 (/metrics)', 'client_golang/component-base metric definitions under pkg/kubelet (without the /metrics/resource and /metrics/probes collectors)'),
        'kubelet-probes': (probes, 'https://github.com/kubernetes/kubernetes/blob/v1.37.2/pkg/kubelet/prober/prober_manager.go', 'kubernetes v1.37.2 (/metrics/probes)', 'the prober metric definitions'),
        'prometheus': (prom, 'https://github.com/prometheus/prometheus/tree/v3.13.2', 'v3.13.2', 'client_golang metric definitions of the Go sources'),
        'alertmanager': (prefixed(go_metrics(checkout('prometheus+alertmanager', 'v0.33.1')), 'alertmanager_'), 'https://github.com/prometheus/alertmanager/tree/v0.33.1', 'v0.33.1', 'client_golang metric definitions of the Go sources'),
        'prometheus-operator': (prefixed(go_metrics(checkout('prometheus-operator+prometheus-operator', 'v0.93.0')), 'prometheus_operator_'), 'https://github.com/prometheus-operator/prometheus-operator/tree/v0.93.0', 'v0.93.0 source (image v0.93.1, a patch release of the same line)', 'client_golang metric definitions of the Go sources'),
        'loki': ({**prefixed(go_metrics(checkout('grafana+loki', 'v3.7.6', r'^pkg/')), 'loki_'), **dskit_server('loki')}, 'https://github.com/grafana/loki/tree/v3.7.6/pkg', 'v3.7.6', 'client_golang metric definitions under pkg/, plus the dskit server metrics with namespace loki'),
        'alloy': (prefixed(go_metrics(checkout('grafana+alloy', 'v1.18.1', r'^internal/')), 'alloy_', 'loki_write_', 'loki_process_', 'loki_source_', 'prometheus_remote_write_', 'prometheus_remote_storage_', 'otelcol_', 'pyroscope_', 'beyla_'), 'https://github.com/grafana/alloy/tree/v1.18.1/internal', 'v1.18.1', 'client_golang metric definitions under internal/'),
        'tempo': ({**prefixed(go_metrics(checkout('grafana+tempo', 'v2.10.8')), 'tempo_', 'tempodb_'), **dskit_server('tempo')}, 'https://github.com/grafana/tempo/tree/v2.10.8', 'v2.10.8', 'client_golang metric definitions, plus the dskit server metrics with namespace tempo'),
        'pyroscope': ({**prefixed(go_metrics(checkout('grafana+pyroscope', 'v1.18.0', r'^pkg/')), 'pyroscope_'), **dskit_server('pyroscope')}, 'https://github.com/grafana/pyroscope/tree/v1.18.0/pkg', 'v1.18.0', 'client_golang metric definitions under pkg/, plus the dskit server metrics with namespace pyroscope'),
        'otel-collector': (otelcol('v0.155.0'), 'https://github.com/open-telemetry/opentelemetry-collector/tree/v0.155.0', 'v0.155.0 (core components; contrib components add their own)', "the telemetry sections of every metadata.yaml (the collector's internal metrics, exposed without units)"),
        'go-runtime': (prefixed(go_metrics(os.path.join(GOMOD, 'github.com', 'prometheus', 'client_golang@v1.23.2', 'prometheus')), 'go_', 'process_'), 'https://github.com/prometheus/client_golang/tree/v1.23.2/prometheus', 'client_golang v1.23.2', "the Go and process collectors every Go component registers"),
    }
    # memstats names are built by a helper (memstatNamespace("...")), not literals
    cg = open(os.path.join(GOMOD, 'github.com', 'prometheus', 'client_golang@v1.23.2', 'prometheus', 'go_collector.go')).read()
    for m in re.findall(r'memstatNamespace\("([a-z_]+)"\)', cg):
        sources['go-runtime'][0]['go_memstats_' + m] = 'gauge'
    for p in ['process_cpu_seconds_total', 'process_open_fds', 'process_max_fds', 'process_virtual_memory_bytes', 'process_virtual_memory_max_bytes', 'process_resident_memory_bytes', 'process_start_time_seconds', 'process_network_receive_bytes_total', 'process_network_transmit_bytes_total']:
        sources['go-runtime'][0][p] = 'gauge'
    sources.update(blackbox_sources())
    write({k: v for k, v in sources.items() if not ONLY or k in ONLY})


def write(sources):
    for sid, (metrics, url, version, how) in sources.items():
        names = expand(metrics)
        const = sid.upper().replace('-', '_')
        body = ',\n'.join(f"    '{n}'" for n in names)
        text = (f"// Generated by scripts/gen-provenance.py: do not edit by hand.\n"
                f"// Source: {url} ({version}); {how}.\n"
                f"import {{ MetricSourceData }} from './types';\n\n"
                f"/** Metric names {sid} produces ({len(names)}). */\n"
                f"export const {const}: MetricSourceData = {{\n"
                f"  id: '{sid}',\n  version: {sq(version)},\n  url: {sq(url)},\n  method: {sq(how)},\n"
                f"  metrics: [\n{body},\n  ],\n}};\n")
        open(os.path.join(OUT, f'{sid}.generated.ts'), 'w').write(text)
        print(f'{sid}: {len(names)}')


if __name__ == '__main__':
    main()
