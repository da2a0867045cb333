/** The GraphQL subset of the GitHub test server: a small parser, a schema check and the repository fields the sources ask for. */
import { DOCS } from './github-server-limits.ts';
import { type Answer, type RouteContext } from './github-server-rest.ts';
import { RepoData } from './github-server-data.ts';
import { nodeId } from './github-server-limits.ts';

export type GraphQLType =
  | 'Query'
  | 'Organization'
  | 'RepositoryConnection'
  | 'PageInfo'
  | 'Repository'
  | 'RepositoryOwner'
  | 'RefConnection'
  | 'Ref'
  | 'Commit'
  | 'GitObject'
  | 'Blob'
  | 'CommitHistoryConnection'
  | 'Tag'
  | 'RepositoryTopicConnection'
  | 'RepositoryTopic'
  | 'Topic'
  | 'RateLimit';

/** The fields this server knows: null for scalars, else the object type. `__typename` works everywhere. */
export const GRAPHQL_SCHEMA: Record<GraphQLType, Record<string, GraphQLType | null>> = {
  Query: { repository: 'Repository', organization: 'Organization', rateLimit: 'RateLimit' },
  Organization: { login: null, repositories: 'RepositoryConnection' },
  RepositoryConnection: { totalCount: null, pageInfo: 'PageInfo', nodes: 'Repository' },
  PageInfo: { hasNextPage: null, endCursor: null },
  Repository: {
    id: null,
    name: null,
    nameWithOwner: null,
    owner: 'RepositoryOwner',
    description: null,
    url: null,
    pushedAt: null,
    isArchived: null,
    isFork: null,
    isPrivate: null,
    defaultBranchRef: 'Ref',
    repositoryTopics: 'RepositoryTopicConnection',
    refs: 'RefConnection',
    object: 'GitObject',
  },
  RepositoryOwner: { login: null },
  RefConnection: { totalCount: null, nodes: 'Ref' },
  Ref: { name: null, prefix: null, target: 'Commit' },
  Commit: { oid: null, committedDate: null, history: 'CommitHistoryConnection' },
  GitObject: { oid: null },
  Blob: { oid: null, byteSize: null, isBinary: null, isTruncated: null, text: null },
  CommitHistoryConnection: { totalCount: null, nodes: 'Commit' },
  Tag: { oid: null, name: null, target: 'Commit' },
  RepositoryTopicConnection: { totalCount: null, nodes: 'RepositoryTopic' },
  RepositoryTopic: { topic: 'Topic' },
  Topic: { name: null },
  RateLimit: { limit: null, remaining: null, used: null, resetAt: null, cost: null },
};

export interface Token {
  kind: 'name' | 'punct' | 'string' | 'number' | 'variable';
  value: string;
  line: number;
  column: number;
}

export interface Field {
  alias?: string;
  name: string;
  /** Set on the fields of an inline fragment `... on Type { }`: they apply only to values of that type. */
  onType?: string;
  args: Record<string, unknown>;
  selections?: Field[];
  line: number;
  column: number;
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const column = i - lineStart + 1;
    if (ch === '\n') {
      line += 1;
      lineStart = i + 1;
      i += 1;
    } else if (/[\s,\uFEFF]/.test(ch)) {
      i += 1;
    } else if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', line, column });
      i += 3;
    } else if ('{}():!=[]@'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch, line, column });
      i += 1;
    } else if (ch === '$' || /[_A-Za-z]/.test(ch)) {
      const m = /^\$?[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))!;
      tokens.push({ kind: ch === '$' ? 'variable' : 'name', value: ch === '$' ? m[0].slice(1) : m[0], line, column });
      i += m[0].length;
    } else if (ch === '"') {
      const m = /^"(?:[^"\\\n]|\\.)*"/.exec(source.slice(i));
      if (!m) throw new GraphQLSyntaxError('Unterminated string', line, column);
      tokens.push({ kind: 'string', value: JSON.parse(m[0]) as string, line, column });
      i += m[0].length;
    } else if (/[-0-9]/.test(ch)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(source.slice(i));
      if (!m) throw new GraphQLSyntaxError(`Unexpected character "${ch}"`, line, column);
      tokens.push({ kind: 'number', value: m[0], line, column });
      i += m[0].length;
    } else {
      throw new GraphQLSyntaxError(`Unexpected character "${ch}"`, line, column);
    }
  }
  return tokens;
}

/** Parses `[query [Name] [(vars)]] { fields }` into the top-level fields. */
export function parseQuery(source: string, variables: Record<string, unknown>): Field[] {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (message: string): never => {
    const t = peek() ?? tokens[tokens.length - 1];
    throw new GraphQLSyntaxError(message, t?.line ?? 1, t?.column ?? 1);
  };
  const expect = (value: string) => {
    const t = peek();
    if (!t || t.value !== value || (t.kind !== 'punct' && t.kind !== 'name')) fail(`Expected "${value}"`);
    pos += 1;
  };
  const skipBalanced = (open: string, close: string) => {
    let depth = 0;
    do {
      const t = tokens[pos++];
      if (!t) fail(`Expected "${close}"`);
      if (t!.kind === 'punct' && t!.value === open) depth += 1;
      if (t!.kind === 'punct' && t!.value === close) depth -= 1;
    } while (depth > 0);
  };
  const value = (): unknown => {
    const t = tokens[pos++];
    if (!t) return fail('Expected a value');
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number') return Number(t.value);
    if (t.kind === 'variable') {
      if (!(t.value in variables)) throw new GraphQLSyntaxError(`Variable $${t.value} is not provided`, t.line, t.column);
      return variables[t.value];
    }
    if (t.kind === 'name') return t.value === 'true' ? true : t.value === 'false' ? false : t.value === 'null' ? null : t.value;
    if (t.value === '[' || t.value === '{') {
      pos -= 1;
      skipBalanced(t.value, t.value === '[' ? ']' : '}');
      return undefined; // list and object arguments are accepted and ignored
    }
    return fail(`Unexpected "${t.value}"`);
  };
  const selectionSet = (): Field[] => {
    expect('{');
    const fields: Field[] = [];
    while (peek() && peek()!.value !== '}') {
      const t = peek()!;
      if (t.kind === 'punct' && t.value === '...') {
        pos += 1;
        if (peek()?.value !== 'on') fail('Named fragments are not supported by this test server');
        const onType = tokens[pos + 1];
        if (!onType || onType.kind !== 'name') fail('Expected a type name after "on"');
        pos += 2;
        fields.push(...selectionSet().map((f) => ({ ...f, onType: onType!.value })));
        continue;
      }
      if (t.kind !== 'name') fail(`Expected a field name, found "${t.value}"`);
      pos += 1;
      let alias: string | undefined;
      let name = t.value;
      if (peek()?.value === ':') {
        pos += 1;
        const real = tokens[pos++];
        if (!real || real.kind !== 'name') fail('Expected a field name after the alias');
        alias = name;
        name = real!.value;
      }
      const args: Record<string, unknown> = {};
      if (peek()?.value === '(') {
        pos += 1;
        while (peek() && peek()!.value !== ')') {
          const argName = tokens[pos++]!;
          expect(':');
          args[argName.value] = value();
        }
        expect(')');
      }
      if (peek()?.value === '@') fail('Directives are not supported by this test server');
      const field: Field = { name, args, line: t.line, column: t.column };
      if (alias) field.alias = alias;
      if (peek()?.value === '{') field.selections = selectionSet();
      fields.push(field);
    }
    expect('}');
    return fields;
  };

  if (peek()?.kind === 'name') {
    const keyword = peek()!.value;
    if (keyword !== 'query') fail(`"${keyword}" operations are not supported by this test server`);
    pos += 1;
    if (peek()?.kind === 'name') pos += 1;
    if (peek()?.value === '(') skipBalanced('(', ')');
  }
  const fields = selectionSet();
  if (pos < tokens.length) fail('Only one operation per document is supported by this test server');
  return fields;
}

export interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

export function validate(fields: Field[], type: GraphQLType, errors: GraphQLError[]): void {
  for (const field of fields) {
    const location = [{ line: field.line, column: field.column }];
    if (field.name === '__typename') continue;
    if (field.onType && !(field.onType in GRAPHQL_SCHEMA)) {
      errors.push({ message: `No such type ${field.onType}, so it can't be a fragment condition`, locations: location });
      continue;
    }
    const on = (field.onType ?? type) as GraphQLType;
    const known = GRAPHQL_SCHEMA[on];
    if (!(field.name in known)) {
      errors.push({
        message: `Field '${field.name}' doesn't exist on type '${on}'`,
        locations: location,
        extensions: { code: 'undefinedField', typeName: on, fieldName: field.name },
      });
      continue;
    }
    const child = known[field.name] ?? null;
    if (child && !field.selections) {
      errors.push({ message: `Field must have selections (field '${field.name}' returns ${child} but has no selections.)`, locations: location });
    } else if (!child && field.selections) {
      errors.push({ message: `Selections can't be made on scalars (field '${field.name}' returns a scalar)`, locations: location });
    } else if (child && field.selections) {
      validate(field.selections, child, errors);
    }
  }
}

/**
 * Keeps only the selected fields of a fully built value, under their aliases. A field whose value is a
 * function takes arguments: it is called with them. Fragment fields apply only to values of their type.
 */
export function project(value: unknown, fields: Field[]): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => project(item, fields));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.onType && source.__typename !== field.onType) continue;
    const key = field.alias ?? field.name;
    const raw = source[field.name];
    const v = (typeof raw === 'function' ? (raw as (args: Record<string, unknown>) => unknown)(field.args) : raw) ?? null;
    out[key] = field.selections ? project(v, field.selections) : v;
  }
  return out;
}

/**
 * `refs(refPrefix:, first:)`: "refs/tags/" lists the tags newest first by their tags.json date (what
 * `orderBy: {field: TAG_COMMIT_DATE, direction: DESC}` asks of GitHub; orderBy itself is not read),
 * "refs/heads/" the default branch. `first` defaults to 30 and is capped at 100; there is no second page.
 */
export function graphqlRefs(repo: RepoData, args: Record<string, unknown>): Record<string, unknown> {
  const first = typeof args.first === 'number' ? Math.min(100, Math.max(0, args.first)) : 30;
  const ref = (prefix: string, name: string, oid: string) => ({ __typename: 'Ref', name, prefix, target: { __typename: 'Commit', oid } });
  let refs: ReturnType<typeof ref>[] = [];
  if (args.refPrefix === 'refs/tags/') {
    const time = (date: string | undefined) => (date ? Date.parse(date) || 0 : 0);
    const byDate = repo.tags.map((t, i) => ({ t, i })).sort((a, b) => time(b.t.date) - time(a.t.date) || a.i - b.i);
    refs = byDate.map(({ t }) => ref('refs/tags/', t.name, t.sha));
  } else if (args.refPrefix === 'refs/heads/') {
    refs = [ref('refs/heads/', repo.defaultBranch, repo.headSha)];
  }
  return { __typename: 'RefConnection', totalCount: refs.length, nodes: refs.slice(0, first) };
}

export function graphqlRepository(repo: RepoData): Record<string, unknown> {
  const topics = Array.isArray(repo.json.topics) ? (repo.json.topics as string[]) : [];
  return {
    __typename: 'Repository',
    id: nodeId('R', repo.fullName),
    name: repo.name,
    nameWithOwner: repo.fullName,
    owner: { __typename: 'Organization', login: repo.owner },
    description: typeof repo.json.description === 'string' ? repo.json.description : null,
    url: repo.htmlUrl,
    pushedAt: repo.pushedAt,
    isArchived: repo.json.archived === true,
    isFork: repo.json.fork === true,
    isPrivate: false,
    defaultBranchRef: {
      __typename: 'Ref',
      name: repo.defaultBranch,
      prefix: 'refs/heads/',
      target: { __typename: 'Commit', oid: repo.headSha },
    },
    repositoryTopics: {
      __typename: 'RepositoryTopicConnection',
      totalCount: topics.length,
      nodes: topics.map((name) => ({ __typename: 'RepositoryTopic', topic: { __typename: 'Topic', name } })),
    },
    refs: (args: Record<string, unknown>) => graphqlRefs(repo, args),
    object: (args: Record<string, unknown>) => graphqlObject(repo, args),
  };
}

/**
 * `object(expression:)` of the head commit (by sha or branch; the snapshot holds no other commit), with
 * `history(first:, path:)`: the newest commit that changed the path is the snapshot's per-file `date` of its
 * tree entry. Where the snapshot has none, the history is empty: the snapshot does not know when the file
 * changed, and the repository's push date is not that.
 */
export function graphqlObject(repo: RepoData, args: Record<string, unknown>): Record<string, unknown> | null {
  if (typeof args.oid === 'string') return graphqlBlob(repo, args.oid);
  const expression = typeof args.expression === 'string' ? args.expression : '';
  if (repo.resolveRef(expression) !== repo.headSha) return null;
  const history = (historyArgs: Record<string, unknown>) => {
    const path = typeof historyArgs.path === 'string' ? historyArgs.path.replace(/\/+$/, '') : undefined;
    const first = typeof historyArgs.first === 'number' ? Math.min(100, Math.max(0, historyArgs.first)) : 30;
    const date = path === undefined ? undefined : repo.entry(path)?.date;
    const nodes = date && first > 0 ? [{ __typename: 'Commit', oid: repo.headSha, committedDate: date }] : [];
    return { __typename: 'CommitHistoryConnection', totalCount: nodes.length, nodes };
  };
  return { __typename: 'Commit', oid: repo.headSha, committedDate: null, history };
}

/** Text longer than this comes back cut, marked `isTruncated` (GitHub cuts long texts too; where is not documented). */
export const BLOB_TEXT_LIMIT = 1024 * 1024;

/**
 * `object(oid:)` of a blob of the repository: its `text` decoded as UTF-8 (invalid sequences replaced, as any
 * decoder does), null for a binary blob (a NUL byte in its first 8,000 bytes, Git's own test).
 */
export function graphqlBlob(repo: RepoData, oid: string): Record<string, unknown> | null {
  const bytes = repo.blob(oid);
  if (!bytes) return null;
  const isBinary = bytes.subarray(0, 8000).includes(0);
  const isTruncated = !isBinary && bytes.length > BLOB_TEXT_LIMIT;
  const text = isBinary ? null : (isTruncated ? bytes.subarray(0, BLOB_TEXT_LIMIT) : bytes).toString('utf8');
  return { __typename: 'Blob', oid, byteSize: bytes.length, isBinary, isTruncated, text };
}

/**
 * An Organization with its `repositories(first:, after:)` connection, sorted by name. Cursors are opaque
 * base64 offsets; `first` defaults to 30 and is capped at 100.
 */
export function graphqlOrganization(repos: RepoData[], fields: Field[], login: string): Record<string, unknown> {
  const sorted = [...repos].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') out[key] = 'Organization';
    else if (field.name === 'login') out[key] = repos[0]?.owner ?? login;
    else if (field.name === 'repositories') {
      const first = typeof field.args.first === 'number' ? Math.min(100, Math.max(1, field.args.first)) : 30;
      const after = typeof field.args.after === 'string' ? Number(Buffer.from(field.args.after, 'base64').toString('utf8').replace(/^cursor:/, '')) : -1;
      const start = Number.isFinite(after) ? after + 1 : 0;
      const page = sorted.slice(start, start + first);
      const end = start + page.length - 1;
      const connection = {
        __typename: 'RepositoryConnection',
        totalCount: sorted.length,
        pageInfo: { __typename: 'PageInfo', hasNextPage: end < sorted.length - 1, endCursor: page.length > 0 ? Buffer.from(`cursor:${end}`).toString('base64') : null },
        nodes: page.map(graphqlRepository),
      };
      out[key] = project(connection, field.selections ?? []);
    }
  }
  return out;
}

export function graphql(ctx: RouteContext): Answer {
  if (ctx.auth.kind !== 'token') {
    return { status: 401, body: { message: 'This endpoint requires you to be authenticated.', documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql', status: '401' } };
  }
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(ctx.body) as typeof request;
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' } };
  }
  if (typeof request.query !== 'string') {
    return { status: 200, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
  }
  const variables = (typeof request.variables === 'object' && request.variables !== null ? request.variables : {}) as Record<string, unknown>;
  let fields: Field[];
  try {
    fields = parseQuery(request.query, variables);
  } catch (error) {
    if (!(error instanceof GraphQLSyntaxError)) throw error;
    return { status: 200, body: { errors: [{ message: `Parse error: ${error.message}`, locations: [{ line: error.line, column: error.column }] }] } };
  }
  const errors: GraphQLError[] = [];
  validate(fields, 'Query', errors);
  if (errors.length > 0) return { status: 200, body: { errors } };

  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') {
      data[key] = 'Query';
    } else if (field.name === 'organization') {
      const login = field.args.login;
      const repos = typeof login === 'string' ? ctx.snapshot.orgRepos(login) : undefined;
      if (!repos) {
        errors.push({
          type: 'NOT_FOUND',
          path: [key],
          locations: [{ line: field.line, column: field.column }],
          message: `Could not resolve to an Organization with the login of '${String(login)}'.`,
        });
        data[key] = null;
        continue;
      }
      data[key] = graphqlOrganization(repos, field.selections ?? [], String(login));
    } else if (field.name === 'rateLimit') {
      const counter = ctx.limits.counter(ctx.auth.identity, 'graphql');
      data[key] = project({ __typename: 'RateLimit', ...counter.graphqlSummary() }, field.selections ?? []);
    } else {
      const { owner, name } = field.args;
      if (typeof owner !== 'string' || typeof name !== 'string') {
        errors.push({ message: "Field 'repository' is missing required arguments: owner, name", path: [key], locations: [{ line: field.line, column: field.column }] });
        data[key] = null;
        continue;
      }
      const repo = ctx.snapshot.repo(owner, name);
      if (!repo) {
        errors.push({
          type: 'NOT_FOUND',
          path: [key],
          locations: [{ line: field.line, column: field.column }],
          message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        });
        data[key] = null;
        continue;
      }
      data[key] = project(graphqlRepository(repo), field.selections ?? []);
    }
  }
  return { status: 200, body: errors.length > 0 ? { data, errors } : { data } };
}
