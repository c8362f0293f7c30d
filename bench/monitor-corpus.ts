// A labelled corpus of inbound mail for the monitor: genuine company mail (DKIM-signed by
// nodemailer, SPF and DMARC in the zone), benign third-party mail, and phishing in nine languages
// (spoofs, look-alike domains, disguised links, hostile attachments), with the DNS zone that makes
// every signature verifiable offline. Deterministic: the same options give the same messages
// except for the generated DKIM keys.
// Usage: npx tsx bench/monitor-corpus.ts OUTDIR [--size BYTES] [--copies N]
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import type { Attachment } from 'nodemailer/lib/mailer/index.js';
import { addRecord, type Zone } from '../src/adapters/dns-resolver.js';
import type { Identity } from '../src/core/monitor-identity.js';

export type Label = 'phishing' | 'legit';

export interface CorpusMessage {
  name: string;
  label: Label;
  /** What the message is, for reading a confusion matrix. */
  kind: string;
  raw: Buffer;
}

export interface Corpus {
  identity: Identity;
  zone: Zone;
  messages: CorpusMessage[];
}

export const CORPUS_IDENTITY: Identity = {
  brands: ['Nimbus', 'Nimbus Cloud'],
  sendingDomains: ['nimbuscloud.com'],
  linkDomains: ['nimbuscloud.com', 'nimbus.dev'],
  sendingServices: ['sendgrid.net'],
};

interface Sender {
  domain: string;
  ip: string;
  /** DKIM key in the zone; null sends unsigned. */
  key: string | null;
  dmarc: string | null;
}

interface Template {
  kind: string;
  label: Label;
  from: string;
  sender: string;
  /** Envelope sender; defaults to bounces@ the sender domain. */
  returnPath?: string;
  replyTo?: string;
  subject: string;
  html: string;
  attachments?: Attachment[];
}

const SELECTOR = 's1';

/** Senders: their IPs, whether they sign, their DMARC policy. */
const SENDERS: Record<string, Omit<Sender, 'key'> & { signs: boolean }> = {
  'nimbuscloud.com': {
    domain: 'nimbuscloud.com',
    ip: '198.51.100.10',
    signs: true,
    dmarc: 'v=DMARC1; p=reject',
  },
  'sendgrid.net': { domain: 'sendgrid.net', ip: '198.51.100.20', signs: true, dmarc: null },
  'github.com': { domain: 'github.com', ip: '192.30.252.1', signs: true, dmarc: 'v=DMARC1; p=reject' },
  'stripe.com': { domain: 'stripe.com', ip: '198.51.100.30', signs: true, dmarc: 'v=DMARC1; p=reject' },
  'substack.com': { domain: 'substack.com', ip: '198.51.100.40', signs: true, dmarc: 'v=DMARC1; p=none' },
  'linear.app': { domain: 'linear.app', ip: '198.51.100.50', signs: true, dmarc: 'v=DMARC1; p=quarantine' },
  'bank-mail.de': { domain: 'bank-mail.de', ip: '198.51.100.60', signs: true, dmarc: 'v=DMARC1; p=reject' },
  'correo.es': { domain: 'correo.es', ip: '198.51.100.70', signs: true, dmarc: 'v=DMARC1; p=none' },
  'partner-news.fr': { domain: 'partner-news.fr', ip: '198.51.100.80', signs: true, dmarc: null },
  // Attackers: some sign their own look-alike domains, which passes DKIM for that domain.
  'nimbus-cloud-support.com': {
    domain: 'nimbus-cloud-support.com',
    ip: '203.0.113.5',
    signs: true,
    dmarc: 'v=DMARC1; p=none',
  },
  'nimbuscl0ud.com': { domain: 'nimbuscl0ud.com', ip: '203.0.113.6', signs: true, dmarc: null },
  'nimbuscloud.co': { domain: 'nimbuscloud.co', ip: '203.0.113.7', signs: false, dmarc: null },
  'xn--nimbusclud-lvi.com': { domain: 'xn--nimbusclud-lvi.com', ip: '203.0.113.8', signs: true, dmarc: null },
  'nimbuscluod.com': { domain: 'nimbuscluod.com', ip: '203.0.113.9', signs: false, dmarc: null },
  'mailer-pro.xyz': { domain: 'mailer-pro.xyz', ip: '203.0.113.10', signs: true, dmarc: null },
  'attacker.example': { domain: 'attacker.example', ip: '203.0.113.66', signs: false, dmarc: null },
};

const FILLER: Record<string, string> = {
  en: 'This message was sent to you as part of your account. You can change which emails you receive in your notification settings at any time.',
  de: 'Diese Nachricht wurde Ihnen im Rahmen Ihres Kontos gesendet. Sie können jederzeit in den Einstellungen festlegen, welche E-Mails Sie erhalten.',
  fr: 'Ce message vous a été envoyé dans le cadre de votre compte. Vous pouvez choisir à tout moment les e-mails que vous recevez dans vos paramètres.',
  es: 'Este mensaje se le envió como parte de su cuenta. Puede cambiar en cualquier momento los correos que recibe en la configuración.',
  pt: 'Esta mensagem foi enviada como parte da sua conta. Você pode alterar a qualquer momento os e-mails que recebe nas configurações.',
  it: 'Questo messaggio ti è stato inviato come parte del tuo account. Puoi cambiare in qualsiasi momento le email che ricevi nelle impostazioni.',
  ru: 'Это сообщение отправлено вам в рамках вашей учетной записи. Вы можете изменить список получаемых писем в настройках.',
  ja: 'このメッセージはお客様のアカウントに関連して送信されました。受信するメールは設定からいつでも変更できます。',
  zh: '此邮件是作为您账户的一部分发送给您的。您可以随时在设置中更改接收的邮件。',
};

const p = (text: string) => `<p>${text}</p>`;
const a = (href: string, text: string) => `<a href="${href}">${text}</a>`;

/** Phishing lures, one per language: the ask in that language, a link, a look-alike sender. */
const LURES: { lang: string; subject: string; body: string }[] = [
  {
    lang: 'en',
    subject: 'Action required: verify your Nimbus account',
    body: 'We detected unusual sign-in activity. Please confirm your password within 24 hours or your account will be suspended.',
  },
  {
    lang: 'de',
    subject: 'Ihr Nimbus Konto wird gesperrt',
    body: 'Wir haben ungewöhnliche Aktivitäten festgestellt. Bitte bestätigen Sie Ihr Passwort innerhalb von 24 Stunden, sonst wird Ihr Konto gesperrt.',
  },
  {
    lang: 'fr',
    subject: 'Nimbus : confirmez votre compte',
    body: 'Nous avons détecté une connexion inhabituelle. Veuillez confirmer votre mot de passe immédiatement pour éviter la suspension.',
  },
  {
    lang: 'es',
    subject: 'Nimbus: su cuenta será suspendida',
    body: 'Detectamos actividad inusual. Por favor confirme su contraseña inmediatamente o su cuenta será suspendida.',
  },
  {
    lang: 'pt',
    subject: 'Nimbus: confirme sua conta',
    body: 'Detectamos atividade incomum. Confirme sua senha imediatamente ou sua conta será bloqueada.',
  },
  {
    lang: 'it',
    subject: 'Nimbus: verifica il tuo account',
    body: 'Abbiamo rilevato un accesso insolito. Conferma la tua password entro 24 ore o il tuo account sarà sospeso.',
  },
  {
    lang: 'ru',
    subject: 'Nimbus: подтвердите аккаунт',
    body: 'Мы обнаружили необычную активность. Срочно подтвердите ваш пароль, иначе аккаунт будет заблокирован.',
  },
  {
    lang: 'ja',
    subject: 'Nimbus アカウントの確認',
    body: '不審なログインを検出しました。24時間以内にパスワードを入力して確認してください。アカウントが停止されます。',
  },
  {
    lang: 'zh',
    subject: 'Nimbus 账户验证',
    body: '我们检测到异常登录。请立即输入您的密码进行验证，否则账户将被冻结。',
  },
];

const ASKS: { lang: string; subject: string; body: string }[] = [
  {
    lang: 'en',
    subject: 'Nimbus API key rotation',
    body: 'Your API key will be revoked today. Paste your current API key in the form to keep your integration running.',
  },
  {
    lang: 'en',
    subject: 'Nimbus support ticket #48213',
    body: 'To finish the identity check, reply with the verification code we just sent to your phone.',
  },
  {
    lang: 'de',
    subject: 'Nimbus Rechnung: neue Bankverbindung',
    body: 'Bitte aktualisieren Sie Ihre Zahlungsinformationen, unsere Bankverbindung hat sich geändert. Dringend.',
  },
  {
    lang: 'es',
    subject: 'Nimbus: código de verificación',
    body: 'Para completar la verificación, envíe el código de verificación que recibió por SMS.',
  },
  {
    lang: 'en',
    subject: 'Nimbus credits airdrop',
    body: 'Claim your Nimbus token airdrop: connect your wallet and enter your seed phrase to verify ownership.',
  },
  {
    lang: 'fr',
    subject: 'Nimbus : facture impayée',
    body: 'Veuillez mettre à jour vos informations de paiement pour éviter l’interruption du service.',
  },
  {
    lang: 'pt',
    subject: 'Nimbus: chave de API expirada',
    body: 'Sua chave de API expirou. Informe sua chave de API atual para reativar o acesso imediatamente.',
  },
  {
    lang: 'it',
    subject: 'Nimbus: codice di verifica',
    body: 'Per completare la verifica, comunica il codice di verifica ricevuto via SMS entro 24 ore.',
  },
  {
    lang: 'ru',
    subject: 'Nimbus: оплата не прошла',
    body: 'Платеж не прошел. Срочно обновите данные карты, иначе аккаунт будет заблокирован.',
  },
  {
    lang: 'ja',
    subject: 'Nimbus APIキーの更新',
    body: '至急、現在のAPIキーを入力してください。24時間以内に確認されない場合、サービスが停止されます。',
  },
  {
    lang: 'zh',
    subject: 'Nimbus 验证码确认',
    body: '为完成身份验证，请回复我们发送到您手机的验证码。紧急。',
  },
];

const BENIGN: { sender: string; from: string; subject: string; body: string; lang: string }[] = [
  {
    sender: 'github.com',
    from: 'GitHub <noreply@github.com>',
    subject: '[nimbus/sdk] Fix retry logic (#412)',
    body: 'Merged #412 into main. View it on GitHub: https://github.com/nimbus/sdk/pull/412',
    lang: 'en',
  },
  {
    sender: 'github.com',
    from: 'GitHub <noreply@github.com>',
    subject: 'Your GitHub launch code',
    body: 'Here is your GitHub launch code: 41529. If you did not try to sign in, you can ignore this message.',
    lang: 'en',
  },
  {
    sender: 'stripe.com',
    from: 'Stripe <receipts@stripe.com>',
    subject: 'Your receipt from Linear',
    body: 'Amount paid $96.00, paid with card ending 4242. Questions? Visit https://support.stripe.com',
    lang: 'en',
  },
  {
    sender: 'substack.com',
    from: 'Cloud Weekly <cloudweekly@substack.com>',
    subject: 'Cloud Weekly #112: serverless costs',
    body: 'This week: a look at cold starts, a benchmark of object stores and an interview. Read online at https://cloudweekly.substack.com/p/112',
    lang: 'en',
  },
  {
    sender: 'linear.app',
    from: 'Linear <notifications@linear.app>',
    subject: 'ENG-381 was assigned to you',
    body: 'Dana assigned ENG-381 to you: migrate the billing worker. Open in Linear: https://linear.app/team/issue/ENG-381',
    lang: 'en',
  },
  {
    sender: 'bank-mail.de',
    from: 'Hausbank <service@bank-mail.de>',
    subject: 'Ihr Kontoauszug ist verfügbar',
    body: 'Ihr monatlicher Kontoauszug steht im Online-Banking bereit. Wir fragen Sie niemals per E-Mail nach Ihrem Passwort.',
    lang: 'de',
  },
  {
    sender: 'correo.es',
    from: 'Correo <avisos@correo.es>',
    subject: 'Su paquete está en camino',
    body: 'Su envío 5510 salió del centro de distribución y llegará mañana. Consulte https://correo.es/seguimiento',
    lang: 'es',
  },
  {
    sender: 'partner-news.fr',
    from: 'Partner News <news@partner-news.fr>',
    subject: 'Nouveautés du mois',
    body: 'Ce mois-ci : notre intégration avec Nimbus est disponible, un nouveau tableau de bord et des webinaires.',
    lang: 'fr',
  },
  {
    sender: 'substack.com',
    from: 'Dev Digest <devdigest@substack.com>',
    subject: 'Dev Digest: rotating secrets',
    body: 'How teams rotate API keys without downtime, and why short-lived tokens win. Read at https://devdigest.substack.com/p/secrets',
    lang: 'en',
  },
  {
    sender: 'linear.app',
    from: 'Linear <notifications@linear.app>',
    subject: 'Weekly summary',
    body: 'You closed 12 issues this week. 新しい機能: ショートカット. Résumé disponible en ligne.',
    lang: 'en',
  },
  {
    sender: 'bank-mail.de',
    from: 'Hausbank <service@bank-mail.de>',
    subject: 'Ihr Bestätigungscode',
    body: 'Ihr Bestätigungscode lautet 551203. Geben Sie diesen Code in der App ein. Wir rufen Sie niemals an.',
    lang: 'de',
  },
  {
    sender: 'partner-news.fr',
    from: 'Partner News <news@partner-news.fr>',
    subject: 'Votre code de connexion',
    body: 'Votre code de connexion est 884120. Il expire dans 10 minutes.',
    lang: 'fr',
  },
  {
    sender: 'github.com',
    from: 'GitHub <noreply@github.com>',
    subject: '[GitHub] Please reset your password',
    body: 'We heard that you lost your GitHub password. Use the link to reset it: https://github.com/password_reset',
    lang: 'en',
  },
  {
    sender: 'linear.app',
    from: 'Linear <notifications@linear.app>',
    subject: 'Confirm your email address',
    body: 'Confirm your email address to finish creating your workspace: https://linear.app/confirm/abc',
    lang: 'en',
  },
  {
    sender: 'substack.com',
    from: 'Infra Notes <infranotes@substack.com>',
    subject: 'Nimbus vs. the rest: a cold-start benchmark',
    body: 'We measured cold starts on Nimbus Cloud and four other platforms. Full results: https://infranotes.substack.com/p/cold',
    lang: 'en',
  },
  {
    sender: 'stripe.com',
    from: 'Stripe <notifications@stripe.com>',
    subject: 'Payment failed for invoice 1042',
    body: 'A payment to Linear failed. Update the card in your billing portal: https://billing.stripe.com/p/login/abc',
    lang: 'en',
  },
  {
    sender: 'correo.es',
    from: 'Correo <avisos@correo.es>',
    subject: 'Promoción: envíos gratis',
    body: 'Solo hoy: envíos gratis en todos los paquetes. Más información: https://bit.ly/correo-promo',
    lang: 'es',
  },
  {
    sender: 'bank-mail.de',
    from: 'Hausbank <service@bank-mail.de>',
    subject: 'Neue Nutzungsbedingungen',
    body: 'Unsere Nutzungsbedingungen ändern sich zum 1. Januar. Sie müssen nichts tun.',
    lang: 'de',
  },
];

const GENUINE: {
  subject: string;
  body: string;
  lang: string;
  viaService?: boolean;
  attachments?: Attachment[];
}[] = [
  {
    subject: 'Your Nimbus invoice for November',
    body: `Your invoice is ready. ${a('https://nimbuscloud.com/billing/invoices/2026-11', 'View invoice')}`,
    lang: 'en',
  },
  {
    subject: 'Security notice: a vendor incident',
    body: `An analytics vendor we used was breached. Your password was not exposed. We never ask for your password by email. Details: ${a('https://nimbuscloud.com/security/incident', 'nimbuscloud.com/security/incident')}`,
    lang: 'en',
  },
  {
    subject: 'Reset your Nimbus password',
    body: `Someone asked to reset your password. ${a('https://nimbuscloud.com/reset?t=abc', 'Reset password')} The link expires in 1 hour.`,
    lang: 'en',
  },
  {
    subject: 'Ihre Nimbus Rechnung',
    body: `Ihre Rechnung ist verfügbar. ${a('https://nimbuscloud.com/billing', 'Rechnung ansehen')}`,
    lang: 'de',
  },
  {
    subject: 'Nouveautés Nimbus',
    body: `Découvrez les nouveautés de la plateforme. ${a('https://nimbus.dev/changelog', 'nimbus.dev/changelog')}`,
    lang: 'fr',
    viaService: true,
  },
  {
    subject: 'Nimbus product update',
    body: `New regions and faster deploys. ${a('https://u4411.ct.sendgrid.net/ls/click?upn=xyz', 'https://nimbuscloud.com/blog/regions')}`,
    lang: 'en',
    viaService: true,
  },
  {
    subject: 'Your API key was created',
    body: `A new API key was created for project demo. If this was not you, revoke it in the ${a('https://nimbuscloud.com/settings/keys', 'dashboard')}.`,
    lang: 'en',
  },
  {
    subject: 'Nimbus: tu factura',
    body: `Tu factura está disponible en ${a('https://nimbuscloud.com/billing', 'nimbuscloud.com/billing')}.`,
    lang: 'es',
  },
  {
    subject: 'Quarterly report',
    body: 'Attached is the usage report for the quarter.',
    lang: 'en',
    attachments: [
      {
        filename: 'usage-q3.pdf',
        content: Buffer.from('%PDF-1.4 fake pdf for tests'),
        contentType: 'application/pdf',
      },
    ],
  },
  {
    subject: 'Nimbus: conferma iscrizione webinar',
    body: `Grazie per l'iscrizione. ${a('https://nimbus.dev/webinar', 'Dettagli')}`,
    lang: 'it',
  },
  {
    subject: 'Nimbus: ваш счет',
    body: `Ваш счет доступен в ${a('https://nimbuscloud.com/billing', 'личном кабинете')}.`,
    lang: 'ru',
  },
  {
    subject: 'Nimbus ご請求書',
    body: `ご請求書が発行されました。${a('https://nimbuscloud.com/billing', '請求書を見る')}`,
    lang: 'ja',
  },
  {
    subject: 'Nimbus 账单',
    body: `您的账单已生成。${a('https://nimbuscloud.com/billing', '查看账单')}`,
    lang: 'zh',
  },
  {
    subject: 'Your verification code',
    body: 'Enter this verification code to sign in: 604112. It expires in 10 minutes. Nimbus never asks for it by phone.',
    lang: 'en',
  },
  {
    subject: 'Nimbus Datenschutz-Hinweis',
    body: `Ein Analyseanbieter wurde angegriffen. Passwörter und API-Schlüssel waren nicht betroffen. ${a('https://nimbuscloud.com/security/incident', 'Mehr erfahren')}`,
    lang: 'de',
    viaService: true,
  },
];

function phishingTemplates(): Template[] {
  const templates: Template[] = [];
  const lookalikes = [
    {
      from: 'Nimbus Security <security@nimbus-cloud-support.com>',
      sender: 'nimbus-cloud-support.com',
      kind: 'brand_embedded',
    },
    { from: 'Nimbus <no-reply@nimbuscl0ud.com>', sender: 'nimbuscl0ud.com', kind: 'homoglyph_ascii' },
    { from: 'Nimbus Billing <billing@nimbuscloud.co>', sender: 'nimbuscloud.co', kind: 'other_suffix' },
    { from: 'Nimbus <team@xn--nimbusclud-lvi.com>', sender: 'xn--nimbusclud-lvi.com', kind: 'idn' },
    { from: 'Nimbus Team <team@nimbuscluod.com>', sender: 'nimbuscluod.com', kind: 'typo' },
  ];
  const links = [
    'https://nimbuscloud.com.secure-login.io/verify',
    'https://nimbus-login.web.app/auth',
    'https://bit.ly/3xYzNb',
    'http://203.0.113.77/nimbus/login',
    'https://nimbuscl0ud.com/signin',
  ];
  LURES.forEach((lure, i) => {
    const look = lookalikes[i % lookalikes.length]!;
    const link = links[i % links.length]!;
    templates.push({
      kind: `lure_${lure.lang}_${look.kind}`,
      label: 'phishing',
      from: look.from,
      sender: look.sender,
      subject: lure.subject,
      html: p(lure.body) + p(a(link, i % 2 === 0 ? 'https://nimbuscloud.com/account/verify' : 'Verify now')),
    });
  });
  ASKS.forEach((ask, i) => {
    const look = lookalikes[(i + 2) % lookalikes.length]!;
    templates.push({
      kind: `ask_${ask.lang}_${i}`,
      label: 'phishing',
      from: look.from,
      sender: look.sender,
      subject: ask.subject,
      html: p(ask.body) + p(a(links[(i + 1) % links.length]!, 'Continue')),
    });
  });
  // Spoofs of the company's own domain, sent from an attacker's server, unsigned.
  LURES.slice(0, 4).forEach((lure) => {
    templates.push({
      kind: `spoof_${lure.lang}`,
      label: 'phishing',
      from: 'Nimbus <security@nimbuscloud.com>',
      sender: 'attacker.example',
      returnPath: 'bounce@attacker.example',
      subject: lure.subject,
      html: p(lure.body) + p(a('https://nimbuscloud-verify.com/login', 'https://nimbuscloud.com/login')),
    });
  });
  // A generic sender naming the brand, replies diverted; hostile attachments.
  const attachments: [string, Attachment][] = [
    [
      'html_attachment',
      {
        filename: 'Nimbus-Invoice.html',
        content: '<form action="https://collect.example/p"><input name="password"></form>',
        contentType: 'text/html',
      },
    ],
    [
      'zip_exe',
      { filename: 'invoice.zip', content: tinyZip(['invoice.pdf.exe']), contentType: 'application/zip' },
    ],
    [
      'iso',
      { filename: 'statement.iso', content: Buffer.alloc(2048, 1), contentType: 'application/octet-stream' },
    ],
    [
      'macro_doc',
      {
        filename: 'Nimbus-contract.docm',
        content: tinyZip(['word/document.xml', 'word/vbaProject.bin']),
        contentType: 'application/vnd.ms-word.document.macroEnabled.12',
      },
    ],
    [
      'nested_zip',
      {
        filename: 'docs.zip',
        content: tinyZip(['inner.zip'], tinyZip(['payload.js'])),
        contentType: 'application/zip',
      },
    ],
  ];
  attachments.forEach(([kind, attachment], i) => {
    templates.push({
      kind: `attachment_${kind}`,
      label: 'phishing',
      from: `Nimbus Accounts <accounts${i}@mailer-pro.xyz>`,
      sender: 'mailer-pro.xyz',
      replyTo: 'nimbus.billing@attacker.example',
      subject: 'Nimbus: outstanding invoice',
      html: p('Please find the document attached. Open it and sign in to view your balance urgently.'),
      attachments: [attachment],
    });
  });
  templates.push(
    {
      kind: 'subtle_quota',
      label: 'phishing',
      from: 'IT Helpdesk <helpdesk@mailer-pro.xyz>',
      sender: 'mailer-pro.xyz',
      subject: 'Mailbox quota exceeded',
      html:
        p('Your mailbox is full. Sign in to verify your account and restore delivery.') +
        p(a('https://mail-restore.web.app/', 'Restore mailbox')),
    },
    {
      kind: 'subtle_ceo_api_key',
      label: 'phishing',
      from: 'Dana Whitfield <dana.whitfield.ceo@attacker.example>',
      sender: 'attacker.example',
      subject: 'Quick favor',
      html: p(
        'Are you at your desk? Please send me the API key for the production project, I need it immediately for a demo.',
      ),
    },
    {
      kind: 'breach_themed',
      label: 'phishing',
      from: 'Security Team <security-team@mailer-pro.xyz>',
      sender: 'mailer-pro.xyz',
      subject: 'Important: analytics vendor incident affecting your Nimbus account',
      html:
        p(
          'Following the vendor incident, all Nimbus customers must confirm their password and re-enter their API key within 24 hours.',
        ) + p(a('https://nimbus-incident-response.com/confirm', 'Confirm now')),
    },
    {
      kind: 'subtle_gift_cards',
      label: 'phishing',
      from: 'Office Manager <office.manager@attacker.example>',
      sender: 'attacker.example',
      subject: 'Urgent request',
      html: p(
        'I need you to buy gift cards for a client today and send me the codes. Keep this confidential.',
      ),
    },
  );
  templates.push({
    kind: 'data_uri',
    label: 'phishing',
    from: 'Nimbus <alerts@nimbuscluod.com>',
    sender: 'nimbuscluod.com',
    subject: 'Nimbus storage full',
    html:
      p('Your storage is full. Sign in to verify your account and keep your files.') +
      p(a('data:text/html;base64,PGgxPk5pbWJ1czwvaDE+', 'Open secure document')),
  });
  return templates;
}

function legitTemplates(): Template[] {
  const templates: Template[] = [];
  GENUINE.forEach((genuine, i) => {
    templates.push({
      kind: `genuine_${i}`,
      label: 'legit',
      from: 'Nimbus <notices@nimbuscloud.com>',
      sender: genuine.viaService ? 'sendgrid.net' : 'nimbuscloud.com',
      returnPath: genuine.viaService ? `bounces+${i}@sendgrid.net` : 'bounces@nimbuscloud.com',
      subject: genuine.subject,
      html: p(genuine.body),
      ...(genuine.attachments ? { attachments: genuine.attachments } : {}),
    });
  });
  BENIGN.forEach((benign, i) => {
    templates.push({
      kind: `third_party_${benign.sender}_${i}`,
      label: 'legit',
      from: benign.from,
      sender: benign.sender,
      subject: benign.subject,
      html: p(benign.body),
    });
  });
  return templates;
}

export interface CorpusOptions {
  /** Pad each message's HTML with ordinary text up to about this many bytes. */
  size?: number;
  /** How many times the set of templates is repeated (each copy numbered). */
  copies?: number;
}

export async function buildCorpus({ size = 0, copies = 1 }: CorpusOptions = {}): Promise<Corpus> {
  const zone: Zone = {};
  const keys = new Map<string, string>();
  for (const sender of Object.values(SENDERS)) {
    const spf = sender.domain === 'nimbuscloud.com' ? `include:sendgrid.net ` : '';
    addRecord(zone, sender.domain, 'TXT', `v=spf1 ip4:${sender.ip} ${spf}-all`);
    if (sender.dmarc) addRecord(zone, `_dmarc.${sender.domain}`, 'TXT', sender.dmarc);
    if (!sender.signs) continue;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    keys.set(sender.domain, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const der = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    addRecord(zone, `${SELECTOR}._domainkey.${sender.domain}`, 'TXT', `v=DKIM1; k=rsa; p=${der}`);
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const templates = [...legitTemplates(), ...phishingTemplates()];
  const messages: CorpusMessage[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const [index, template] of templates.entries()) {
      const n = copy * templates.length + index;
      const raw = await compose(transport, template, keys, n, size);
      messages.push({
        name: `${String(n).padStart(5, '0')}-${template.kind}.eml`,
        label: template.label,
        kind: template.kind,
        raw,
      });
    }
  }
  return { identity: CORPUS_IDENTITY, zone, messages };
}

async function compose(
  transport: ReturnType<typeof nodemailer.createTransport>,
  template: Template,
  keys: Map<string, string>,
  n: number,
  size: number,
): Promise<Buffer> {
  const sender = SENDERS[template.sender]!;
  // A company message sent through sendgrid is signed as the company; everyone else signs as themselves.
  const signingDomain =
    template.from.includes('@nimbuscloud.com>') && template.sender === 'sendgrid.net'
      ? 'nimbuscloud.com'
      : template.sender;
  const key = template.sender === 'attacker.example' ? undefined : keys.get(signingDomain);
  const lang = /^(?:lure|ask)_([a-z]{2})/.exec(template.kind)?.[1] ?? 'en';
  let html = `<html><body>${template.html}`;
  const filler = p(FILLER[lang] ?? FILLER.en!);
  // The text part repeats the HTML as text, so each carries about half of the target size.
  while (2 * Buffer.byteLength(html) + 2400 < size) html += filler;
  html += '</body></html>';
  const info = (await transport.sendMail({
    from: template.from,
    to: 'dana@customer.example',
    ...(template.replyTo ? { replyTo: template.replyTo } : {}),
    subject: template.subject,
    html,
    text: html.replace(/<[^>]+>/g, ' '),
    date: new Date('2026-11-20T09:00:00Z'),
    messageId: `<${n}.corpus@${template.sender}>`,
    attachments: template.attachments ?? [],
    ...(key ? { dkim: { domainName: signingDomain, keySelector: SELECTOR, privateKey: key } } : {}),
  })) as { message: Buffer };
  const returnPath = template.returnPath ?? `bounces@${template.sender}`;
  const trace =
    `Return-Path: <${returnPath}>\r\n` +
    `Received: from mail.${sender.domain} (mail.${sender.domain} [${sender.ip}])\r\n` +
    `\tby mx.customer.example with ESMTPS id ${n}; Fri, 20 Nov 2026 09:00:01 +0000\r\n`;
  return Buffer.concat([Buffer.from(trace), info.message]);
}

/** A minimal stored-entry ZIP: local headers, central directory, end record. */
export function tinyZip(names: string[], content: Buffer = Buffer.alloc(0)): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(content.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(content.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, content);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + content.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Writes messages, `labels.csv`, `identity.json` and the zone as `dns/NAME.dns` files. */
export function writeCorpus(dir: string, corpus: Corpus): void {
  mkdirSync(join(dir, 'dns'), { recursive: true });
  for (const message of corpus.messages) writeFileSync(join(dir, message.name), message.raw);
  writeFileSync(join(dir, 'labels.csv'), corpus.messages.map((m) => `${m.name},${m.label}\n`).join(''));
  writeFileSync(join(dir, 'identity.json'), `${JSON.stringify(corpus.identity, null, 2)}\n`);
  for (const [name, entry] of Object.entries(corpus.zone)) {
    const lines = [
      ...(entry.txt ?? []).map((chunks) => `txt:${chunks.join('')}`),
      ...(entry.a ?? []).map((value) => `a:${value}`),
      ...(entry.aaaa ?? []).map((value) => `aaaa:${value}`),
      ...(entry.mx ?? []).map((mx) => `mx:${mx.priority} ${mx.exchange}`),
    ];
    writeFileSync(join(dir, 'dns', `${name}.dns`), `${lines.join('\n')}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npx tsx bench/monitor-corpus.ts OUTDIR [--size BYTES] [--copies N]');
    process.exit(2);
  }
  const option = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? Number(process.argv[at + 1]) : undefined;
  };
  const corpus = await buildCorpus({ size: option('--size') ?? 0, copies: option('--copies') ?? 1 });
  writeCorpus(out, corpus);
  const phishing = corpus.messages.filter((m) => m.label === 'phishing').length;
  console.log(`${corpus.messages.length} messages (${phishing} phishing) written to ${out}`);
}
