import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';

/**
 * The folders of one Grafana, shared by dashboards and alert rules. Grafana's alert-rule file
 * provisioning addresses a folder only by its title (grafana/grafana#125079): a dashboard provider
 * that also sets a `folderUid` makes Grafana create a second folder of the same title. So a folder is
 * identified by its title everywhere, and each title maps to one directory slug. Internal.
 */
export class GrafanaFolders {
  private readonly bySlug = new Map<string, string>(); // slug → title

  constructor(private readonly scope: IConstruct) {}

  /** Registers a folder title; returns its slug. Fails when two titles map to the same slug. */
  public register(title: string): string {
    const s = slug(title, 40);
    const seen = this.bySlug.get(s);
    if (seen !== undefined && seen !== title) {
      fail(this.scope, {
        problem: `folders '${seen}' and '${title}' map to the same directory '${s}'`,
        received: show(title),
        expected: 'folder titles that differ in letters or digits',
        fix: 'rename one of the folders',
      });
    }
    this.bySlug.set(s, title);
    return s;
  }

  /** The title of a registered slug. */
  public title(s: string): string {
    return this.bySlug.get(s)!;
  }
}

/** Lowercase letters, digits and '-', at most `max` characters. */
export function slug(s: string, max: number): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'x';
}
