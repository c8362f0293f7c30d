import { escapeHtml } from '../core/escape.js';

/** Server-rendered pages: escaped, no scripts, styled by one stylesheet served from 'self'. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/pages.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export const PAGES_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:36rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #9aa4b1;border-radius:4px}
button{margin-top:1.25rem;padding:.6rem 1.2rem;font:inherit;border:0;border-radius:4px;background:#1f4fd1;color:#fff}
.genuine{border-left:6px solid #1a7f37;padding-left:1rem}
.not-ours{border-left:6px solid #cf222e;padding-left:1rem}
code{font-size:1.05em}
`;

export interface VerifyPageModel {
  company: string;
  officialDomains: string[];
  contactEmail: string;
  referenceCode: string;
  result?: { genuine: boolean; sentAt: string | null } | { refused: string };
}

/** The page a notice tells its reader to use: reference code + address → genuine or not. */
export function verifyPage(model: VerifyPageModel): string {
  const company = escapeHtml(model.company);
  const domains = model.officialDomains.map((domain) => `<code>${escapeHtml(domain)}</code>`).join(', ');
  const result = model.result === undefined ? '' : verdict(model, company);
  return page(
    `Check a notice from ${model.company}`,
    `<h1>Did ${company} send this notice?</h1>
<p>Enter the reference code printed in the message and the address it was sent to.</p>
${result}
<form method="post" action="/verify">
<label for="referenceCode">Reference code</label>
<input id="referenceCode" name="referenceCode" required maxlength="40" autocomplete="off" placeholder="XXXX-XXXX-XXXX" value="${escapeHtml(model.referenceCode)}">
<label for="address">Your email address</label>
<input id="address" name="address" type="email" required maxlength="254" autocomplete="email">
<button type="submit">Check</button>
</form>
<p>${company} sends notices only from ${domains}. A message from any other domain, or one that asks for your password, a payment or a download, is not from us.</p>
<p>Questions: <a href="mailto:${escapeHtml(model.contactEmail)}">${escapeHtml(model.contactEmail)}</a></p>`,
  );
}

function verdict(model: VerifyPageModel, company: string): string {
  const result = model.result!;
  if ('refused' in result) return `<p class="not-ours" role="alert">${escapeHtml(result.refused)}</p>`;
  if (!result.genuine) {
    return `<div class="not-ours" role="alert"><h2>We did not send this.</h2>
<p>${company} sent no notice with this reference code to this address. Do not click its links or answer it; forward it to <a href="mailto:${escapeHtml(model.contactEmail)}">${escapeHtml(model.contactEmail)}</a>.</p></div>`;
  }
  const sent =
    result.sentAt === null ? 'it is being sent' : `sent on ${escapeHtml(formatDay(result.sentAt))}`;
  return `<div class="genuine" role="status"><h2>Genuine: ${sent}.</h2>
<p>This notice with reference code <code>${escapeHtml(model.referenceCode)}</code> came from ${company}.</p></div>`;
}

function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

/** Until `web/dist` is built, `/` says so rather than showing a fake UI. */
export function dashboardMissingPage(): string {
  return page(
    'breachdesk',
    `<h1>breachdesk</h1>
<p>The dashboard is not built. Build it with <code>npm run build:web</code> in the breachdesk folder (it lands in <code>web/dist</code>) and restart <code>breachdesk serve</code>.</p>
<p>The JSON API works without it: <a href="/api/openapi.json">/api/openapi.json</a> describes every route. The public notice check is at <a href="/verify">/verify</a>.</p>`,
  );
}
