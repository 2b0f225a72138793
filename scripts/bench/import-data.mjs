// The rows of the import benchmark, as the CSV a user uploads and as the CSV
// COPY reads (same rows: tenant id added, tags as an array literal), and a
// COPY FROM STDIN over a plain pg client (pg-copy-streams is not a dependency).

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Diego',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Isla',
  'Jonas',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
];
const LAST = [
  'Smith',
  'Garcia',
  'Chen',
  'Mueller',
  'Okafor',
  'Rossi',
  'Dubois',
  'Kowalski',
  'Silva',
  'Nakamura',
  'Haddad',
  'Novak',
  'Jensen',
  'Patel',
  'Moreau',
];
const COMPANY = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
  'Vandelay',
  'Soylent',
  'Cyberdyne',
  '',
  '',
];
const STATUS = ['new', 'new', 'contacted', 'qualified', 'converted', 'lost', 'do_not_call'];
const SOURCE = ['web form', 'referral', 'trade show', 'import', 'partner'];
const TAGS = [['vip', 'renewal'], ['spring-campaign'], ['enterprise', 'vip'], ['smb', 'web']];
const TZ = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London'];
// US area codes libphonenumber accepts; with a 7-digit local part from 200-0000 up, every number is valid.
const AREA = [
  201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225,
  228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281,
  301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321,
  323, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407, 408,
  409, 410, 412, 413, 414, 415, 417, 419, 423, 424, 425, 434, 435, 440, 443, 469, 470, 475, 478,
  479, 480, 484, 501, 502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518, 520,
  530, 540, 541, 551, 559, 561, 562, 563, 567, 570, 571, 573, 574, 575, 580, 585, 586, 601, 602,
  603, 605, 606, 607, 608, 609, 610, 612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631,
  636, 641, 646, 650, 651, 660, 661, 662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713,
  714, 715, 716, 717, 718, 719, 720, 724, 727, 731, 732, 734, 740, 754, 757, 760, 763, 765, 770,
  772, 773, 774, 775, 781, 785, 786, 801, 802, 803, 804, 805, 806, 808, 810, 812, 813, 814, 815,
  816, 817, 818, 828, 830, 831, 832, 843, 845, 847, 848, 850, 856, 857, 858, 859, 860, 862, 863,
  864, 865, 870, 878, 901, 903, 904, 906, 907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918,
  919, 920, 925, 928, 931, 936, 937, 940, 941, 947, 949, 951, 952, 954, 956, 970, 971, 972, 973,
  978, 979, 980, 985, 989,
];

const field = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function row(i) {
  const f = FIRST[(i * 7) % FIRST.length];
  const l = LAST[(i * 11) % LAST.length];
  return {
    first: f,
    last: l,
    // distinct for every i below AREA.length * 8,000,000
    phone: `+1${AREA[i % AREA.length]}${2_000_000 + Math.floor(i / AREA.length)}`,
    email: `${f}.${l}.${i}@example.com`.toLowerCase(),
    company: COMPANY[i % COMPANY.length],
    status: STATUS[i % STATUS.length],
    source: SOURCE[i % SOURCE.length],
    tags: TAGS[i % TAGS.length],
    tz: TZ[i % TZ.length],
  };
}

export const COPY_COLUMNS =
  'tenant_id, first_name, last_name, phone, email, company, status, source, tags, timezone';

/** { upload, copy }: the same n rows as the import's CSV and as COPY's CSV (tenant id first). */
export function importFiles(n, copyTenantId) {
  const up = ['first_name,last_name,phone,email,company,status,source,tags,timezone'];
  const cp = [COPY_COLUMNS.replace(/ /g, '')];
  for (let i = 0; i < n; i++) {
    const r = row(i);
    up.push(
      [r.first, r.last, r.phone, r.email, r.company, r.status, r.source, r.tags.join('|'), r.tz]
        .map(field)
        .join(','),
    );
    cp.push(
      [
        copyTenantId,
        r.first,
        r.last,
        r.phone,
        r.email,
        r.company,
        r.status,
        r.source,
        `{${r.tags.join(',')}}`,
        r.tz,
      ]
        .map(field)
        .join(','),
    );
  }
  return { upload: Buffer.from(up.join('\r\n') + '\r\n'), copy: Buffer.from(cp.join('\n') + '\n') };
}

/** COPY ... FROM STDIN fed from a buffer, on a connected pg.Client; resolves with the row count. */
export function copyFrom(client, sql, data, chunkSize = 64 * 1024) {
  return new Promise((resolve, reject) => {
    let error = null;
    let rows = 0;
    client.query({
      submit(connection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection) {
        for (let o = 0; o < data.length; o += chunkSize)
          connection.sendCopyFromChunk(data.subarray(o, o + chunkSize));
        connection.endCopyFrom();
      },
      handleCommandComplete(msg) {
        rows = Number(/(\d+)$/.exec(msg.text ?? '')?.[1] ?? 0);
      },
      handleError(err) {
        error = err;
      },
      handleReadyForQuery() {
        if (error) reject(error);
        else resolve(rows);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleCopyData() {},
      handlePortalSuspended() {},
    });
  });
}
