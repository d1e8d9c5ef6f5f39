/**
 * Where a database URL points. `sqlite:data/open2fa.db` is relative to the working directory,
 * `sqlite:///var/lib/open2fa.db` absolute, `sqlite::memory:` in memory.
 */
export type DatabaseLocation =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path.length === 0) throw new RangeError('DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/open2fa.db');
    return { kind: 'sqlite', path };
  }
  throw new RangeError('DATABASE_URL must start with sqlite: or postgres://');
}
