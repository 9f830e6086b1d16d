/**
 * Code blocks of README.md and docs/**\/*.md, extracted so that test/docs/docs.test.ts can compile and run them.
 *
 * The info string of a fenced block says what it is (README "Code blocks in the docs" and
 * docs/ARCHITECTURE.md say the same for writers):
 *  - ```ts (or ```typescript): a whole app. It is type-checked against src/ (imports of 'cdk8s-lgtm' resolve
 *    to src/index.ts) and synthesized; its YAML must pass the schema harness (test/harness.ts).
 *  - ```ts fragment: an intentionally partial snippet. It is type-checked, inside a block, after PREAMBLE:
 *    every public export of 'cdk8s-lgtm', App/Chart/Duration/Size from cdk8s, and the usual variables
 *    (`app`, `chart`, `namespace`, `prometheus`, `alertmanager`, `loki`, `grafana`, `logs`) already declared.
 *  - ```ts module: a complete library file (a component written on the skeleton). It is type-checked as it is,
 *    with relative imports (`../core/component`) resolved as in a folder `src/<component>/`; not synthesized.
 *  - any language in OTHER_LANGUAGES is prose for humans (shell commands, diagrams, YAML output).
 * Anything else (no info string, an unknown language or an unknown ts marker) fails the test: no block is
 * skipped silently.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const ROOT = path.join(__dirname, '..', '..');

/** Languages that are never compiled. */
export const OTHER_LANGUAGES = ['bash', 'sh', 'console', 'mermaid', 'yaml', 'json', 'text', 'promql', 'logql', 'alloy', 'go', 'python', 'java'];

export type SnippetKind = 'app' | 'fragment' | 'module';

export interface CodeBlock {
  /** repository-relative file */
  readonly file: string;
  /** 1-based line of the opening fence */
  readonly line: number;
  readonly info: string;
  readonly code: string;
}

export interface Snippet extends CodeBlock {
  readonly kind: SnippetKind;
  /** `README.md:59` */
  readonly where: string;
}

/** README.md and every Markdown file under docs/. */
export function docFiles(root = ROOT): string[] {
  const out = ['README.md'];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.md')) out.push(r);
    }
  };
  if (fs.existsSync(path.join(root, 'docs'))) walk('docs');
  return out.sort();
}

/** Every fenced block of a Markdown text (``` or ~~~ fences, any indentation). */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[j])) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: code block is never closed`);
    blocks.push({ file, line: i + 1, info: info.trim(), code: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

/** Classifies a block: a TypeScript snippet, `undefined` for another language, or an error message. */
export function classify(block: CodeBlock): Snippet | undefined | string {
  const where = `${block.file}:${block.line}`;
  const words = block.info.split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return `${where}: code block without a language. Write \`\`\`ts (a whole app), \`\`\`ts fragment (a partial snippet), or one of: ${OTHER_LANGUAGES.join(', ')}`;
  }
  const [lang, ...rest] = words;
  if (lang === 'ts' || lang === 'typescript' || lang === 'tsx') {
    if (rest.length === 0) return { ...block, kind: 'app', where };
    if (rest.length === 1 && rest[0] === 'fragment') return { ...block, kind: 'fragment', where };
    if (rest.length === 1 && rest[0] === 'module') return { ...block, kind: 'module', where };
    return `${where}: unknown TypeScript block marker '${rest.join(' ')}': use \`\`\`ts (a whole app), \`\`\`ts fragment (a partial snippet) or \`\`\`ts module (a library file)`;
  }
  if (lang === 'js' || lang === 'javascript') {
    return `${where}: JavaScript block: write it in TypeScript (\`\`\`ts or \`\`\`ts fragment) so that it is compiled`;
  }
  if (OTHER_LANGUAGES.includes(lang)) return undefined;
  return `${where}: unknown code block language '${lang}'. Use ts, ts fragment, or one of: ${OTHER_LANGUAGES.join(', ')} (test/docs/snippets.ts)`;
}

/** The public exports of src/index.ts, read syntactically (export lists, `export *`, exported declarations). */
export function publicExports(root = ROOT): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const resolve = (from: string, spec: string): string | undefined => {
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
  };
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    for (const st of sf.statements) {
      if (ts.isExportDeclaration(st)) {
        const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        if (!st.exportClause && spec) {
          const target = resolve(file, spec);
          if (target) visit(target);
        } else if (st.exportClause && ts.isNamedExports(st.exportClause)) {
          for (const e of st.exportClause.elements) names.add(e.name.text);
        }
        continue;
      }
      const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
      if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
      } else if ((ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isEnumDeclaration(st)
        || ts.isFunctionDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) {
        names.add(st.name.text);
      }
    }
  };
  visit(path.join(root, 'src', 'index.ts'));
  return [...names].sort();
}

/** Variables a fragment may use without declaring them. */
const PREAMBLE_VARIABLES = `
const app = new App();
const chart = new Chart(app, 'docs');
const namespace = 'monitoring';
declare const prometheus: Prometheus;
declare const alertmanager: Alertmanager;
declare const loki: Loki;
declare const grafana: Grafana;
declare const logs: AlloyLogs;
`;

const PREAMBLE_NAMES = [...PREAMBLE_VARIABLES.matchAll(/const (\w+)/g)].map((m) => m[1]);

/** What a fragment is compiled after (and whose names it may shadow). */
export function preamble(exportsOfLibrary: string[]): string {
  return [
    "import { App, Chart, Duration, Size } from 'cdk8s';",
    `import { ${exportsOfLibrary.join(', ')} } from 'cdk8s-lgtm';`,
    PREAMBLE_VARIABLES,
  ].join('\n');
}

/**
 * The TypeScript file compiled for a snippet. Apps are taken as they are. Fragments keep their own
 * import lines at the top (those replace the preamble's import of the same name) and run inside a block after the preamble.
 */
export function snippetSource(s: Snippet, exportsOfLibrary: string[]): string {
  const header = `// ${s.where} (generated by test/docs/docs.test.ts; edit the Markdown, not this file)\n`;
  if (s.kind === 'module') {
    // relative imports as from a file in src/<component>/
    const code = s.code.replace(/from '(\.\.?\/[^']+)'/g, (_m, rel: string) => `from ${JSON.stringify(path.join(ROOT, 'src', 'component', rel))}`);
    return `${header}${code}`;
  }
  if (s.kind === 'app') return `${header}${s.code}export {};\n`;
  const imports: string[] = [];
  const body = s.code.replace(/^import[\s\S]*?from\s+['"][^'"]+['"];?[ \t]*$/gm, (m) => {
    imports.push(m);
    return '';
  });
  const own = new Set(imports.flatMap((i) => /\{([^}]*)\}/.exec(i)?.[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!) ?? []));
  const pre = preamble(exportsOfLibrary.filter((n) => !own.has(n)));
  return `${header}${imports.join('\n')}\n${pre}\n{\n${body}}\nexport {};\n`;
}

/** Every block of the docs, classified; errors for the blocks that are neither TypeScript nor a known language. */
export function collectSnippets(root = ROOT): { snippets: Snippet[]; errors: string[]; others: number } {
  const snippets: Snippet[] = [];
  const errors: string[] = [];
  let others = 0;
  for (const file of docFiles(root)) {
    for (const block of codeBlocks(file, fs.readFileSync(path.join(root, file), 'utf8'))) {
      const c = classify(block);
      if (typeof c === 'string') errors.push(c);
      else if (c) snippets.push(c);
      else others++;
    }
  }
  return { snippets, errors, others };
}

/** Type-checks the given files against src/ with the project's compiler options ('cdk8s-lgtm' = src/index.ts). */
export function typeErrors(files: string[], root = ROOT): string[] {
  const configPath = path.join(root, 'tsconfig.typecheck.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // a fragment need not use every name the preamble declares
    noUnusedLocals: false,
    noUnusedParameters: false,
    baseUrl: root,
    paths: { 'cdk8s-lgtm': ['src/index.ts'] },
  };
  const program = ts.createProgram(files, options);
  const wanted = new Set(files.map((f) => path.resolve(f)));
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => !d.file || wanted.has(path.resolve(d.file.fileName)))
    .map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return msg;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      const origin = /^\/\/ (\S+)/.exec(d.file.text)?.[1] ?? path.relative(root, d.file.fileName);
      return `${origin} (${path.basename(d.file.fileName)}:${line + 1}:${character + 1}): ${msg}`;
    });
}

/**
 * Inline code in prose that names a member (`grafana.applyNotificationPolicy(...)`, `AlertComparison.ABOVE`)
 * must name one that exists: the last member of a call chain must be a public member of some exported type,
 * and `Export.MEMBER` must be a static member of that export.
 */
export function inlineApiErrors(root = ROOT): string[] {
  const exportsOfLibrary = new Set(publicExports(root));
  const members = new Map<string, Set<string>>();
  const allMembers = new Set<string>();
  const srcFiles: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'imports') walk(p);
      else if (e.name.endsWith('.ts')) srcFiles.push(p);
    }
  };
  walk(path.join(root, 'src'));
  // calls on cdk8s and constructs objects (`app.synth()`, `chart.toJson()`) are fine too
  for (const lib of ['cdk8s', 'constructs']) {
    const dir = path.join(root, 'node_modules', lib, 'lib');
    if (fs.existsSync(dir)) srcFiles.push(...fs.readdirSync(dir).filter((f) => f.endsWith('.d.ts')).map((f) => path.join(dir, f)));
  }
  for (const f of srcFiles) {
    const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, false);
    for (const st of sf.statements) {
      if (!(ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isEnumDeclaration(st)) || !st.name) continue;
      const set = members.get(st.name.text) ?? new Set<string>();
      for (const m of st.members as ts.NodeArray<ts.ClassElement | ts.TypeElement | ts.EnumMember>) {
        const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) : undefined;
        if (mods?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        if (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) {
          set.add(m.name.text);
          allMembers.add(m.name.text);
        }
      }
      members.set(st.name.text, set);
    }
  }
  const receivers = new Set([...PREAMBLE_NAMES, ...[...exportsOfLibrary].map((e) => e[0].toLowerCase() + e.slice(1))]);
  const errors: string[] = [];
  for (const file of docFiles(root)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    // prose only: drop fenced blocks, keep line numbers
    const prose = text.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\s*\2\s*$/gm, (m) => m.replace(/[^\n]/g, ' '));
    for (const m of prose.matchAll(/`([^`\n]+)`/g)) {
      const span = m[1];
      const line = prose.slice(0, m.index).split('\n').length;
      const staticRef = /^([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)\b/.exec(span);
      if (staticRef && exportsOfLibrary.has(staticRef[1])) {
        if (!members.get(staticRef[1])?.has(staticRef[2])) {
          errors.push(`${file}:${line}: \`${span}\`: ${staticRef[1]} has no public member '${staticRef[2]}'`);
        }
        continue;
      }
      // a call on a library object: the receiver is a preamble variable or named after an export (`grafana`, `serviceMonitor`)
      const call = /^([a-z][A-Za-z0-9]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.([A-Za-z_][A-Za-z0-9_]*)\(/.exec(span);
      if (call && receivers.has(call[1]) && !allMembers.has(call[2])) {
        errors.push(`${file}:${line}: \`${span}\`: no public type of cdk8s-lgtm has a member '${call[2]}'`);
      }
    }
  }
  return errors;
}
