// The TIMESTAMP of Cognito's PASSWORD_VERIFIER challenge: `EEE MMM d HH:mm:ss UTC yyyy`, English, UTC.
//
// Only the zone written `UTC` is accepted. The clients that implement this flow write the literal `UTC`
// (amazon-cognito-identity-js DateHelper, Amplify, pycognito), so nothing legitimate sends `GMT`. Cognito
// rejects a zero-padded day and a wrong weekday, which suggests (unverified) that it checks the text
// against its own rendering of the instant; `GMT` would fail that check too.

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const two = (n: number): string => String(n).padStart(2, "0");

/** `Tue Jan 2 03:04:05 UTC 2024` for an epoch-ms instant (day of month not zero-padded). */
export function formatSrpTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const weekday = WEEKDAYS[d.getUTCDay()]!;
  const month = MONTHS[d.getUTCMonth()]!;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${weekday} ${month} ${d.getUTCDate()} ${time} UTC ${d.getUTCFullYear()}`;
}

const PATTERN =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/;

/** The instant a TIMESTAMP names, or undefined unless it is exactly how Cognito would have written it. */
export function parseSrpTimestamp(text: string): number | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [, , month, day, hours, minutes, seconds, year] = m;
  const epochMs = Date.UTC(
    Number(year),
    MONTHS.indexOf(month as (typeof MONTHS)[number]),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  // Rendering the instant back catches Feb 30 (rolled into March) and a weekday that does not match.
  return formatSrpTimestamp(epochMs) === text ? epochMs : undefined;
}
