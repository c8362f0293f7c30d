import type { VerdictReason } from '../verdict.js';
import type { MailAttachment } from './mail-facts.js';
import { reason } from './reason.js';

export const ATTACHMENT_WEIGHTS = {
  executable: 40,
  diskImage: 30,
  macros: 30,
  html: 20,
  archive: 10,
  encryptedArchive: 15,
  deepArchive: 15,
} as const;

type FileKind = 'executable' | 'diskImage' | 'html' | 'archive' | 'macros';

const EXTENSIONS: Readonly<Record<FileKind, readonly string[]>> = {
  executable: [
    'exe',
    'scr',
    'com',
    'pif',
    'bat',
    'cmd',
    'vbs',
    'vbe',
    'js',
    'jse',
    'wsf',
    'wsh',
    'msi',
    'msix',
    'ps1',
    'jar',
    'lnk',
    'hta',
    'cpl',
    'msc',
    'reg',
    'dll',
    'apk',
    'appx',
    'scf',
    'url',
    'library-ms',
    'xll',
    'one',
  ],
  diskImage: ['iso', 'img', 'vhd', 'vhdx', 'dmg', 'udf'],
  html: ['htm', 'html', 'shtml', 'xhtml', 'svg', 'mht', 'mhtml'],
  archive: ['zip', 'rar', '7z', 'gz', 'tgz', 'tar', 'cab', 'ace', 'arj', 'xz', 'bz2', 'lzh', 'z', 'zipx'],
  macros: ['docm', 'xlsm', 'pptm', 'dotm', 'xltm', 'xlam', 'ppsm', 'potm', 'sldm', 'xlsb'],
};

const KIND_OF_EXTENSION = new Map<string, FileKind>(
  (Object.entries(EXTENSIONS) as [FileKind, readonly string[]][]).flatMap(([kind, list]) =>
    list.map((ext) => [ext, kind] as const),
  ),
);

const CONTENT_TYPE_KIND: readonly [RegExp, FileKind][] = [
  [/^application\/(?:x-msdownload|x-dosexec|x-msdos-program|x-ms-installer|java-archive|hta)/, 'executable'],
  [/^application\/(?:x-iso9660-image|x-apple-diskimage|x-raw-disk-image)/, 'diskImage'],
  [/^text\/html|^image\/svg\+xml/, 'html'],
  [/^application\/(?:zip|x-zip|x-rar|vnd\.rar|x-7z|gzip|x-gzip|x-tar)/, 'archive'],
  [/macroenabled/i, 'macros'],
];

export function fileKind(filename: string, contentType = ''): FileKind | null {
  const ext = /\.([a-z0-9-]{1,12})\s*$/i.exec(filename)?.[1]?.toLowerCase();
  const byName = ext ? KIND_OF_EXTENSION.get(ext) : undefined;
  if (byName) return byName;
  const type = contentType.toLowerCase();
  return CONTENT_TYPE_KIND.find(([pattern]) => pattern.test(type))?.[1] ?? null;
}

const SENTENCES: Record<FileKind, (where: string) => string> = {
  executable: (where) => `An attachment${where} is a program or script.`,
  diskImage: (where) => `An attachment${where} is a disk image, a common way to slip programs past filters.`,
  macros: (where) => `An attachment${where} is an Office document with macros.`,
  html: (where) => `An attachment${where} is an HTML page, often a local copy of a fake sign-in form.`,
  archive: (where) => `An attachment${where} is an archive.`,
};

const CODES: Record<FileKind, string> = {
  executable: 'executable_attachment',
  diskImage: 'disk_image_attachment',
  macros: 'macro_attachment',
  html: 'html_attachment',
  archive: 'archive_attachment',
};

/** Programs, disk images, macro documents, HTML pages and archives, also inside archives. */
export function attachmentSignals(attachments: readonly MailAttachment[]): VerdictReason[] {
  const found = new Map<FileKind, string>();
  const note = (kind: FileKind, where: string) => {
    if (!found.has(kind)) found.set(kind, where);
  };
  let encrypted = false;
  let tooDeep = false;
  for (const attachment of attachments) {
    const kind = attachment.macros ? 'macros' : fileKind(attachment.filename, attachment.contentType);
    if (kind) note(kind, '');
    for (const entry of attachment.entries) {
      const inner = fileKind(entry.name);
      if (inner && inner !== 'archive') note(inner, ' (inside an archive)');
    }
    encrypted ||= attachment.archive === 'encrypted';
    tooDeep ||= attachment.archive === 'too_deep';
  }
  const reasons = [...found].map(([kind, where]) =>
    reason(CODES[kind], ATTACHMENT_WEIGHTS[kind], SENTENCES[kind](where)),
  );
  if (encrypted) {
    reasons.push(
      reason(
        'encrypted_archive',
        ATTACHMENT_WEIGHTS.encryptedArchive,
        'An attached archive is password-protected, so its content cannot be checked.',
      ),
    );
  }
  if (tooDeep) {
    reasons.push(
      reason(
        'nested_archive',
        ATTACHMENT_WEIGHTS.deepArchive,
        'An attached archive nests archives deeper than is checked.',
      ),
    );
  }
  return reasons;
}
