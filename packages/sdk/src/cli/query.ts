import type { ParamValue, SecurityOptions } from '@inlay/core';
import { connectionUrlForms, databasePlugin, databasePlugins, fileDatabase } from '@inlay/drivers';
import { type CompiledQuery, compileQuery, getDialect, runQuery } from '@inlay/engine';
import { Command, Option } from 'commander';
import { parseJsonArg } from './errors.js';
import { columnsOf, defaultFormat, FORMATS, type Format, renderResponse } from './output.js';
import {
  chooseConnection,
  configuredConnection,
  loadModel,
  openDriver,
  type Project,
  resolveProject,
} from './project.js';

interface QueryFlags {
  project?: string;
  securityContext?: string;
  roles?: string;
  format?: Format;
  sql?: boolean;
  dialect?: string;
  connection?: string;
}

/** `--security-context` and `--roles` as the engine takes them: `{}` and `default` unless given. */
export function securityFrom(flags: { securityContext?: string; roles?: string }): SecurityOptions {
  const securityContext = flags.securityContext
    ? parseJsonArg(flags.securityContext, '--security-context')
    : {};
  const roles = (flags.roles ?? 'default')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return { securityContext, roles: roles.length ? roles : ['default'] };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function showParam(p: ParamValue): string {
  if (p !== null && typeof p === 'object') return `timestamp '${p.utc}' (UTC)`;
  if (typeof p === 'bigint') return p.toString();
  return JSON.stringify(p);
}

function showStatement(dialect: string, sql: string, params: ParamValue[]): string[] {
  const d = getDialect(dialect);
  const lines = [sql, '', params.length ? '-- parameters' : '-- no parameters'];
  for (const [i, p] of params.entries()) lines.push(`${d.placeholder(i + 1)} = ${showParam(p)}`);
  return lines;
}

/** The text `--sql` prints: the statement, its bound values apart from it, and the plan. */
export function explain(dialect: string, c: CompiledQuery): string {
  const lines = [`-- SQL (${dialect})`, ...showStatement(dialect, c.sql, c.params)];
  if (c.total)
    lines.push('', '-- total (count without paging)', ...showStatement(dialect, c.total.sql, c.total.params));
  const p = c.plan;
  lines.push(
    '',
    '-- plan',
    `root:       ${p.root}`,
    `joins:      ${p.joins.length ? p.joins.join(', ') : '(none)'}`,
    `multiplied: ${p.multiplied.length ? `${p.multiplied.join(', ')} (their measures would be aggregated per primary key first)` : '(none)'}`,
    `timezone:   ${p.timezone}`,
    `roles:      ${p.roles.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

function jsonSafe(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

export async function runQueryCommand(queryText: string, flags: QueryFlags): Promise<void> {
  const query = parseJsonArg(queryText === '-' ? await readStdin() : queryText, 'the query');
  const security = securityFrom(flags);
  const project = resolveProject(flags.project);
  const model = await loadModel(project);

  if (flags.sql) {
    // No database needed: the dialect comes from --dialect, else the connection's type.
    const dialect = flags.dialect ?? connectionDialect(project, flags.connection);
    const compiled = compileQuery(model, query, { dialect, security });
    if (flags.format === 'json') {
      const { sql, params, total, plan } = compiled;
      process.stdout.write(`${JSON.stringify({ dialect, sql, params, total, plan }, jsonSafe, 2)}\n`);
    } else {
      process.stdout.write(explain(dialect, compiled));
    }
    return;
  }

  const choice = await chooseConnection(project, flags.connection, {
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // Compiled first: a query that cannot run (unknown member, missing security key) fails before
  // any data is touched, and the columns keep query order in tables and CSV even with no rows.
  const dialect = databasePlugin(choice.type).dialect;
  const columns = columnsOf(compileQuery(model, query, { dialect, security }));
  const { driver } = openDriver(choice);
  try {
    const response = await runQuery(model, driver, query, { security });
    process.stdout.write(renderResponse(flags.format ?? defaultFormat(), columns, response));
  } finally {
    await driver.close();
  }
}

/** Every database's dialect, for `--dialect`. */
const DIALECTS = [...new Set(databasePlugins().map((p) => p.dialect))];

/**
 * The connection's dialect for --sql, decided without touching a database; with none configured,
 * the file database's, the kind of data a project without a connection (the demo's) reads.
 */
function connectionDialect(project: Project, flag?: string): string {
  const configured = configuredConnection(project, flag);
  return (configured ? databasePlugin(configured.type) : (fileDatabase()?.plugin ?? databasePlugins()[0]!))
    .dialect;
}

export function queryCommand(): Command {
  return new Command('query')
    .description('run a query (Cube /load JSON) against the project’s data and print the result')
    .argument('<query>', 'the query as JSON, e.g. \'{"measures":["flights.count"]}\' (\'-\' reads stdin)')
    .option('-p, --project <dir>', 'project folder with models/ (default: the current folder)')
    .option('--security-context <json>', 'security context as JSON, as a token would carry it (default {})')
    .option('--roles <list>', 'comma-separated access-policy roles (default: default)')
    .addOption(
      new Option('-f, --format <format>', 'output: table when a terminal, else json').choices(FORMATS),
    )
    .option('--sql', 'print the SQL, its bound parameters and the plan instead of running it')
    .addOption(
      new Option('--dialect <name>', 'SQL dialect for --sql (default: the connection’s)').choices(DIALECTS),
    )
    .option(
      '--connection <url-or-path>',
      `a URL (${connectionUrlForms()}) or a ${fileDatabase()?.plugin.label ?? 'database'} file (default: inlay.config.json, or the demo data)`,
    )
    .action((q: string, flags: QueryFlags) => runQueryCommand(q, flags));
}
