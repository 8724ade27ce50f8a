import { listRecentAddresses } from '../../db/address-repository';
import type { Pool } from '../../db/pool';
import { eraseReports } from '../../db/report-repository';
import { readerIdOf, reportHash } from '../../moderation/reader-token';

/**
 * Erasure's reports half (docs/articles.md): the reports sent from any address the email's comments
 * came from (matched by their keyed hash: no address is stored with a report), and, when the request
 * carries the reader's token (the widget shows it under "Report"), every report of that reader;
 * other reports' notes that quote the email or those addresses lose their note.
 */
export async function eraseReaderReports(pool: Pool, secret: string, email: string, readerToken: unknown): Promise<number> {
  const ips = await listRecentAddresses(pool, email, new Date(0));
  const readerId = readerIdOf(secret, readerToken);
  return eraseReports(pool, {
    ipHashes: ips.map((ip) => reportHash(secret, 'ip', ip)),
    readerHashes: readerId ? [reportHash(secret, 'reader', readerId)] : [],
    details: [email.toLowerCase(), ...ips.map((ip) => ip.toLowerCase())],
  });
}
