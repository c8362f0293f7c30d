const HOUR = 3_600_000;

/** "due in 41 h", "due in 12 d 5 h", "overdue by 3 h": a deadline against the clock, in whole hours. */
export function countdown(deadlineAt: string | null, now: Date): string | null {
  if (deadlineAt === null) return null;
  const left = Date.parse(deadlineAt) - now.getTime();
  // Whole hours towards the safe side: 41.9 h left is "41 h", 0.2 h late is "1 h".
  const hours = left >= 0 ? Math.floor(left / HOUR) : Math.ceil(-left / HOUR);
  const span = hours < 72 ? `${hours} h` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
  return left >= 0 ? `due in ${span}` : `overdue by ${span}`;
}
