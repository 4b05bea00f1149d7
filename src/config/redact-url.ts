/**
 * A database URL fit for a message or a log line: the password, if any, becomes `****`. Works on
 * malformed URLs too (they are the ones an error message prints), so it does not rely on `URL`:
 * the user information is everything between `//` and the last `@` before the path.
 */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_match, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    return colon < 0 ? `${scheme}${userInfo}@` : `${scheme}${userInfo.slice(0, colon)}:****@`;
  });
}
