import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { Decimal } from './decimal';
import { AlertPack, AlertPackOptions } from './pack';
import { PackAlertDefinition, positive, ratio } from './pack-definition';
import { requireMatchers, series } from './promql';

/** Properties for `NodeExporterRules`. */
export interface NodeExporterRulesProps extends AlertPackOptions {
  /**
   * Label matchers selecting node-exporter's series.
   * @default 'job="node-exporter"' (the job of the `NodeExporter` component's ServiceMonitor)
   */
  readonly nodeExporterSelector?: string;
}

/**
 * Node health from node-exporter, after the node-exporter mixin (our expressions): filesystems filling up
 * (space and inodes, with a 6h trend), network errors, conntrack, clock, memory, CPU, load, disk I/O,
 * major page faults, RAID and bonding degradation, file descriptors, textfile collector errors; plus the
 * `instance:*` recording rules the node dashboards read.
 *
 * Filesystems are those node-exporter reports (the `NodeExporter` component excludes the kubelet's pod
 * volumes and container layers); read-only and `tmpfs`-like filesystems are left out.
 */
export class NodeExporterRules extends AlertPack {
  /** The matchers selecting node-exporter's series. */
  public readonly nodeExporterSelector: string;

  constructor(scope: Construct, id: string, props: NodeExporterRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'node-exporter' });
    const ne = (this.nodeExporterSelector = requireMatchers(this, 'nodeExporterSelector', props.nodeExporterSelector ?? 'job="node-exporter"'));
    const fs = (m: string) => series(m, ne, 'fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs"', 'mountpoint!=""');
    const rw = `${fs('node_filesystem_readonly')} == 0`;
    const def = (d: Omit<PackAlertDefinition, 'group'>) => this._defineAlert({ group: 'node-exporter', ...d });
    const pct = (t: string) => Decimal.parse(t).mul(Decimal.parse('100')).toString();

    this._packGroup('node-exporter.rules')
      .addRecord({ record: 'instance:node_num_cpu:sum', expr: `count without (cpu, mode) (${series('node_cpu_seconds_total', ne, 'mode="idle"')})` })
      .addRecord({ record: 'instance:node_cpu_utilisation:rate5m', expr: `1 - avg without (cpu) (sum without (mode) (rate(${series('node_cpu_seconds_total', ne, 'mode=~"idle|iowait|steal"')}[5m])))` })
      .addRecord({ record: 'instance:node_load1_per_cpu:ratio', expr: `${series('node_load1', ne)} / instance:node_num_cpu:sum` })
      .addRecord({ record: 'instance:node_memory_utilisation:ratio', expr: `1 - ${series('node_memory_MemAvailable_bytes', ne)} / ${series('node_memory_MemTotal_bytes', ne)}` });

    def({
      alert: 'NodeFilesystemAlmostOutOfSpace',
      thresholds: [ratio('freeRatio', 0.03, 'share of the filesystem still available')],
      query: (t) => `(${fs('node_filesystem_avail_bytes')} / ${fs('node_filesystem_size_bytes')} < ${t.freeRatio})\nand on (instance, device, mountpoint) (${rw})`,
      pendingFor: Duration.minutes(30),
      severity: AlertSeverity.CRITICAL,
      summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanizePercentage }} space left',
      details: (t) => `Less than ${pct(t.freeRatio)} % of the filesystem is available: pods on the node will be evicted or fail to write.`,
      metrics: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'node_filesystem_readonly'],
    });
    def({
      alert: 'NodeFilesystemSpaceFillingUp',
      thresholds: [ratio('freeRatio', 0.15, 'share of the filesystem still available'), positive('horizonHours', 24, 'hours until full, by the 6h trend')],
      query: (t) => [
        `(${fs('node_filesystem_avail_bytes')} / ${fs('node_filesystem_size_bytes')} < ${t.freeRatio})`,
        `and (predict_linear(${fs('node_filesystem_avail_bytes')}[6h], ${t.horizonHours} * 3600) < 0)`,
        `and on (instance, device, mountpoint) (${rw})`,
      ].join('\n'),
      pendingFor: Duration.hours(1),
      severity: AlertSeverity.WARNING,
      summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is predicted to run out of space',
      details: (t) => `Less than ${pct(t.freeRatio)} % is available and the 6h trend reaches zero within ${t.horizonHours} hours.`,
      metrics: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'node_filesystem_readonly'],
    });
    def({
      alert: 'NodeFilesystemAlmostOutOfFiles',
      thresholds: [ratio('freeRatio', 0.03, 'share of inodes still free')],
      query: (t) => `(${fs('node_filesystem_files_free')} / ${fs('node_filesystem_files')} < ${t.freeRatio})\nand on (instance, device, mountpoint) (${rw})`,
      pendingFor: Duration.hours(1),
      severity: AlertSeverity.CRITICAL,
      summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanizePercentage }} inodes left',
      details: 'No file can be created once the inodes run out, whatever space is left.',
      metrics: ['node_filesystem_files_free', 'node_filesystem_files', 'node_filesystem_readonly'],
    });
    def({
      alert: 'NodeFilesystemFilesFillingUp',
      thresholds: [ratio('freeRatio', 0.2, 'share of inodes still free'), positive('horizonHours', 24, 'hours until none is free, by the 6h trend')],
      query: (t) => [
        `(${fs('node_filesystem_files_free')} / ${fs('node_filesystem_files')} < ${t.freeRatio})`,
        `and (predict_linear(${fs('node_filesystem_files_free')}[6h], ${t.horizonHours} * 3600) < 0)`,
        `and on (instance, device, mountpoint) (${rw})`,
      ].join('\n'),
      pendingFor: Duration.hours(1),
      severity: AlertSeverity.WARNING,
      summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is predicted to run out of inodes',
      details: (t) => `The 6h trend of free inodes reaches zero within ${t.horizonHours} hours.`,
      metrics: ['node_filesystem_files_free', 'node_filesystem_files', 'node_filesystem_readonly'],
    });
    for (const [dir, title] of [['receive', 'Receive'], ['transmit', 'Transmit']]) {
      def({
        alert: `NodeNetwork${title}Errs`,
        thresholds: [ratio('errorRatio', 0.01, `ratio of ${dir} errors to packets`)],
        query: (t) => `rate(${series(`node_network_${dir}_errs_total`, ne)}[5m]) / rate(${series(`node_network_${dir}_packets_total`, ne)}[5m]) > ${t.errorRatio}`,
        pendingFor: Duration.hours(1),
        severity: AlertSeverity.WARNING,
        summary: `Interface {{ $labels.device }} on {{ $labels.instance }} has ${dir} errors`,
        details: `{{ $value | humanizePercentage }} of the packets ${dir === 'receive' ? 'received' : 'sent'} fail: a bad cable, NIC or driver.`,
        metrics: [`node_network_${dir}_errs_total`, `node_network_${dir}_packets_total`],
      });
    }
    def({
      alert: 'NodeNetworkInterfaceFlapping',
      thresholds: [positive('changes', 2, 'carrier changes in 2 minutes', true)],
      // the kernel's carrier-change counter sees every flap, also those between two scrapes; pod-side
      // virtual interfaces (veth, Calico, Cilium) come and go with their pods
      query: (t) => `increase(${series('node_network_carrier_changes_total', ne, 'device!~"veth.+|cali.+|lxc.+"')}[2m]) > ${t.changes}`,
      pendingFor: Duration.minutes(2),
      severity: AlertSeverity.WARNING,
      summary: 'Interface {{ $labels.device }} on {{ $labels.instance }} is flapping',
      details: 'Its link went up and down {{ $value }} times in 2 minutes: a bad cable, port, transceiver or driver.',
      metrics: ['node_network_carrier_changes_total'],
    });
    def({
      alert: 'NodeHighNumberConntrackEntriesUsed',
      thresholds: [ratio('usedRatio', 0.75, 'share of the conntrack table used')],
      query: (t) => `${series('node_nf_conntrack_entries', ne)} / ${series('node_nf_conntrack_entries_limit', ne)} > ${t.usedRatio}`,
      severity: AlertSeverity.WARNING,
      summary: '{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its conntrack entries',
      details: 'New connections are dropped when the table is full.',
      metrics: ['node_nf_conntrack_entries', 'node_nf_conntrack_entries_limit'],
    });
    def({
      alert: 'NodeClockSkewDetected',
      thresholds: [positive('offsetSeconds', 0.05, 'clock offset in seconds')],
      query: (t) => `abs(${series('node_timex_offset_seconds', ne)}) > ${t.offsetSeconds}`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The clock of {{ $labels.instance }} is off by {{ $value | humanizeDuration }}',
      details: 'Check NTP on the node: skewed clocks break TLS, leases and out-of-order ingestion.',
      metrics: ['node_timex_offset_seconds'],
    });
    def({
      alert: 'NodeClockNotSynchronising',
      query: () => `(min_over_time(${series('node_timex_sync_status', ne)}[5m]) == 0)\nand on (instance) (${series('node_timex_maxerror_seconds', ne)} >= 16)`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The clock of {{ $labels.instance }} is not synchronising',
      details: 'NTP is not running or cannot reach its servers.',
      metrics: ['node_timex_sync_status', 'node_timex_maxerror_seconds'],
    });
    def({
      alert: 'NodeMemoryHighUtilization',
      thresholds: [ratio('usedRatio', 0.9, 'share of memory not available')],
      query: (t) => `1 - ${series('node_memory_MemAvailable_bytes', ne)} / ${series('node_memory_MemTotal_bytes', ne)} > ${t.usedRatio}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: '{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory',
      details: 'The kernel will OOM-kill or the kubelet evict pods when memory runs out.',
      metrics: ['node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes'],
    });
    def({
      alert: 'NodeCPUHighUsage',
      thresholds: [ratio('usedRatio', 0.9, 'share of CPU time not idle')],
      query: (t) => `1 - avg by (namespace, job, instance) (rate(${series('node_cpu_seconds_total', ne, 'mode="idle"')}[5m])) > ${t.usedRatio}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.INFO,
      summary: '{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its CPU',
      details: 'Workloads on the node may be slowed down.',
      metrics: ['node_cpu_seconds_total'],
    });
    def({
      alert: 'NodeSystemSaturation',
      thresholds: [positive('loadPerCpu', 2, '1-minute load average per CPU')],
      query: (t) => `${series('node_load1', ne)}\n/ on (namespace, job, instance) count by (namespace, job, instance) (${series('node_cpu_seconds_total', ne, 'mode="idle"')})\n> ${t.loadPerCpu}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The load of {{ $labels.instance }} is {{ $value }} per CPU',
      details: 'More runnable tasks than the CPUs can serve: the node is saturated.',
      metrics: ['node_load1', 'node_cpu_seconds_total'],
    });
    def({
      alert: 'NodeDiskIOSaturation',
      thresholds: [positive('queueLength', 10, 'average I/O queue length (weighted I/O seconds per second)')],
      query: (t) => `rate(${series('node_disk_io_time_weighted_seconds_total', ne, 'device!=""')}[5m]) > ${t.queueLength}`,
      pendingFor: Duration.minutes(30),
      severity: AlertSeverity.WARNING,
      summary: 'Disk {{ $labels.device }} of {{ $labels.instance }} is saturated',
      details: 'The I/O queue has stayed long for 30 minutes: the disk is too slow for its load.',
      metrics: ['node_disk_io_time_weighted_seconds_total'],
    });
    def({
      alert: 'NodeMemoryMajorPagesFaults',
      thresholds: [positive('faultsPerSecond', 500, 'major page faults per second')],
      query: (t) => `rate(${series('node_vmstat_pgmajfault', ne)}[5m]) > ${t.faultsPerSecond}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: '{{ $labels.instance }} has {{ $value }} major page faults per second',
      details: 'The node is short of memory and reads pages back from disk.',
      metrics: ['node_vmstat_pgmajfault'],
    });
    def({
      alert: 'NodeRAIDDegraded',
      query: () => `${series('node_md_disks_required', ne)} - ignoring (state) ${series('node_md_disks', ne, 'state="active"')} > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'RAID array {{ $labels.device }} on {{ $labels.instance }} is degraded',
      details: 'A disk of the array failed: replace it before another one does.',
      metrics: ['node_md_disks_required', 'node_md_disks'],
    });
    def({
      alert: 'NodeBondingDegraded',
      query: () => `(${series('node_bonding_slaves', ne)} - ${series('node_bonding_active', ne)}) != 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: 'Bonding interface {{ $labels.master }} on {{ $labels.instance }} is degraded',
      details: 'A link of the bond is down.',
      metrics: ['node_bonding_slaves', 'node_bonding_active'],
    });
    def({
      alert: 'NodeFileDescriptorLimit',
      thresholds: [ratio('usedRatio', 0.7, 'share of the file-descriptor limit allocated')],
      query: (t) => `${series('node_filefd_allocated', ne)} / ${series('node_filefd_maximum', ne)} > ${t.usedRatio}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: '{{ $labels.instance }} has allocated {{ $value | humanizePercentage }} of its file descriptors',
      details: 'Processes fail to open files and sockets at the limit.',
      metrics: ['node_filefd_allocated', 'node_filefd_maximum'],
    });
    def({
      alert: 'NodeTextFileCollectorScrapeError',
      query: () => `${series('node_textfile_scrape_error', ne)} == 1`,
      severity: AlertSeverity.WARNING,
      summary: 'The textfile collector of {{ $labels.instance }} fails to read a file',
      details: 'A .prom file in the textfile directory is malformed.',
      metrics: ['node_textfile_scrape_error'],
    });
    this._applyOverrides(props);
  }
}
