/** Never print a password from a database or SMTP URL: `scheme://user:secret@host` → `user:***@`. */
export function redact(location: string): string {
  return location.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}
