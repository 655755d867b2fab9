#!/usr/bin/env node
'use strict';
/**
 * Builds libs/datasets/sanctuary-2018.ndjson: the January 2018 DOJ letters to 23 "sanctuary"
 * jurisdictions and the mayors' boycott of the White House meeting, as import lines.
 *
 *   node libs/datasets/scripts/build-sanctuary-2018.js [--article PATH] [--check]
 *
 * --article PATH  also checks that every quote sourced to the article occurs in PATH (the seed
 *                 text, /work/shared/seed/000_924d6c3fc93e29d9.txt), whitespace normalised.
 * --check         writes nothing; exits 1 when the committed file differs from what this builds.
 *
 * Written as a generator because the 23 × (letter, deadline, subpoena threat, funding threat,
 * correction) lines are repetitive; the output is committed so that a review reads both.
 * Event ids are UUID v5 of a fixed name per line, so a rebuild gives the same ids and a
 * re-import is a no-op. See ../README.md for the sources and the modelling choices.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const OUTPUT = path.resolve(__dirname, '..', 'sanctuary-2018.ndjson');

// ---------------------------------------------------------------------------------------------
// Ids

/** RFC 4122 URL namespace; the name below is unique per line of this dataset. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

function uuidv5(name, namespace = URL_NAMESPACE) {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = crypto.createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const eventId = (key) => uuidv5(`urn:policy-dispute-ledger:dataset:sanctuary-2018:${key}`);

// ---------------------------------------------------------------------------------------------
// Sources

const ARTICLE = {
  publication: 'TheBlaze',
  url: 'https://www.theblaze.com/news/2018/01/24/doj-demands-immigration-related-papers-from-sanctuary-cities-mayors-boycott-wh-event-in-protest',
  title: 'DOJ demands immigration-related papers from ‘sanctuary cities’; mayors boycott WH event in protest',
  publishedAt: '2018-01-24',
};

/** A passage of the article. Fragments joined with " … " are checked one by one. */
const article = (quote) => ({ ...ARTICLE, quote });

/** The fact-check's references (FACTS.md, "References"), for facts the article does not give. */
const REFS = {
  R1: {
    publication: 'U.S. Department of Justice, press release (mirror; justice.gov original not verified)',
    url: 'https://powderedwigsociety.com/doj-letter/',
    publishedAt: '2018-01-24',
  },
  R3: {
    publication: 'BuzzFeed News',
    url: 'https://www.buzzfeed.com/dominicholden/the-justice-department-is-threatening-to-subpoena-sanctuary',
  },
  R7: {
    publication: 'Reuters (via ZeroHedge)',
    url: 'https://www.zerohedge.com/news/2018-01-24/doj-demands-sanctuary-cities-turn-over-law-enforcement-documents',
    publishedAt: '2018-01-24',
  },
  R8: {
    publication: 'U.S. Senate Committee on the Judiciary',
    url: 'https://judiciary.senate.gov/grassley-statement-at-hearing-on-oversight-of-the-department-of-homeland-security',
    title: 'Grassley statement at hearing on oversight of the Department of Homeland Security',
  },
  R9: {
    publication: 'Breitbart',
    url: 'https://www.breitbart.com/politics/2018/01/17/dhs-secretary-justice-department-reviewing-possibility-of-criminally-charging-sanctuary-city-politicians/',
    publishedAt: '2018-01-17',
  },
  R12: {
    publication: 'Democracy in Action',
    url: 'https://www.democracyinaction.us/photos18/sanctuary012418.html',
  },
  R13: {
    publication: 'NBC News',
    url: 'https://www.nbcnews.com/politics/politics-news/mayors-call-trump-meeting-after-justice-department-threatens-sanctuary-cities-n840721',
  },
  R15: {
    publication: 'American News Central',
    url: 'http://www.americanewscentral.com/2018/01/24/breaking-mayors-across-nation-declare-war-trump-refuse-wh-invite-doj-threatens-subpoenas/',
    publishedAt: '2018-01-24',
  },
  R19: {
    publication: 'The American Presidency Project (UC Santa Barbara)',
    url: 'https://www.presidency.ucsb.edu/documents/remarks-working-session-with-mayors',
    title: 'Remarks at a Working Session With Mayors',
  },
  R21: {
    publication: 'Los Angeles Times (text via SOTT.net)',
    url: 'https://www.sott.net/article/375311-Justice-Dept-escalates-sanctuary-city-crackdown-threatening-to-issue-subpoenas-or-cut-off-federal-grant-funds',
  },
};

// ---------------------------------------------------------------------------------------------
// Entities

/**
 * Registrations describe standing facts (name, kind, state; title, party) as they stood in
 * January 2018, not a founding date. They are all dated 2018-01-01 so that every point-in-time
 * view inside the story (e.g. asOf=2018-01-23) finds the entities. See README.
 */
const STANDING = '2018-01-01';
const LETTER_DAY = '2018-01-24';
const MEETING_ID = 'wh-mayors-2018-01-24';
const LETTER_ID = 'doj-2018-01-24';
const DEADLINE_ID = 'doj-2018-01-24-response';

const ORGANIZATIONS = [
  ['us-doj', { name: 'U.S. Department of Justice', level: 'federal' }, 'The Department of Justice threatened Wednesday to subpoena 23 jurisdictions'],
  ['us-dhs', { name: 'U.S. Department of Homeland Security', level: 'federal' }, 'the Department of Homeland Security'],
  [
    'us-ice',
    { name: 'U.S. Immigration and Customs Enforcement', level: 'federal', parentId: 'us-dhs' },
    'In this handout provided by U.S. Immigration and Customs Enforcement',
  ],
  ['white-house', { name: 'The White House', level: 'federal' }, 'This is a White House meeting.'],
  [
    'us-conference-of-mayors',
    { name: 'U.S. Conference of Mayors', level: 'association' },
    'The U.S. Conference of Mayors is proud to be a bipartisan organization.',
  ],
];

const MAYORS_SENTENCE = 'New York City Mayor Bill de Blasio and New Orleans Mayor Mitch Landrieu, both Democrats,';
const ABSENT_SENTENCE =
  'Los Angeles Mayor Eric Garcetti and Chicago Mayor Rahm Emanuel of Chicago, both Democrats, did not attend.';

/** [slug, data, source, confidence?] — party only where the article or FACTS.md gives it. */
const OFFICIALS = [
  [
    'jeff-sessions',
    { name: 'Jeff Sessions', title: 'U.S. Attorney General', organization: 'us-doj', party: 'republican' },
    article('U.S. Attorney General Jeff Sessions has been outspoken about the effect of sanctuary cities.'),
  ],
  [
    'kirstjen-nielsen',
    // The article's spelling; corrected to "Nielsen" by a CorrectionRecorded below.
    { name: 'Kirstjen Nielson', title: 'Homeland Security Secretary', organization: 'us-dhs' },
    article('Homeland Security Secretary Kirstjen Nielson warned lawmakers'),
  ],
  [
    'bill-de-blasio',
    { name: 'Bill de Blasio', title: 'Mayor of New York City', party: 'democratic', jurisdictionId: 'new-york-city-ny' },
    article(MAYORS_SENTENCE),
  ],
  [
    'mitch-landrieu',
    {
      name: 'Mitch Landrieu',
      title: 'Mayor of New Orleans; President of the U.S. Conference of Mayors',
      organization: 'us-conference-of-mayors',
      party: 'democratic',
    },
    article(`${MAYORS_SENTENCE} … Landrieu, who is also the president of the U.S. Conference of Mayors`),
  ],
  [
    'eric-garcetti',
    { name: 'Eric Garcetti', title: 'Mayor of Los Angeles', party: 'democratic', jurisdictionId: 'los-angeles-ca' },
    article(ABSENT_SENTENCE),
  ],
  [
    'rahm-emanuel',
    { name: 'Rahm Emanuel', title: 'Mayor of Chicago', party: 'democratic', jurisdictionId: 'chicago-il' },
    article(ABSENT_SENTENCE),
  ],
  [
    'elizabeth-kautz',
    { name: 'Elizabeth Kautz', title: 'Mayor of Burnsville, Minnesota', party: 'republican' },
    article('Mayor Elizabeth Kautz (R) of Burnsville, Minnesota'),
  ],
  [
    'lindsay-walters',
    { name: 'Lindsay Walters', title: 'White House Deputy Press Secretary', organization: 'white-house' },
    article('White House deputy press secretary Lindsay Walters'),
  ],
  [
    'donald-trump',
    { name: 'Donald Trump', title: 'President of the United States', organization: 'white-house', party: 'republican' },
    article('a scheduled meeting at the White House between President Donald Trump and the U.S. Conference of Mayors'),
  ],
];

/**
 * The 23, in the article's order: [slug, name, kind, state, the article's list entry, confidence?].
 * Proper names, kinds and states from FACTS.md §2. Where the article's entry gives no state
 * (five of them), the registration cites the DOJ's own list (R1) instead of the article.
 */
const JURISDICTIONS = [
  ['chicago-il', 'City of Chicago', 'city', 'IL', 'Chicago'],
  ['cook-county-il', 'Cook County', 'county', 'IL', 'Cook County, Illinois'],
  ['new-york-city-ny', 'City of New York', 'city', 'NY', 'New York City'],
  ['state-of-california', 'State of California', 'state', 'CA', 'State of California'],
  // "Albany, New York" and "Jackson, Mississippi": the city reading is inferred (FACTS.md: medium).
  ['albany-ny', 'City of Albany', 'city', 'NY', 'Albany, New York', 'medium'],
  ['berkeley-ca', 'City of Berkeley', 'city', 'CA', 'Berkeley, California'],
  ['bernalillo-county-nm', 'Bernalillo County', 'county', 'NM', 'Bernalillo County, New Mexico'],
  ['burlington-vt', 'City of Burlington', 'city', 'VT', 'Burlington, Vermont'],
  ['denver-co', 'City and County of Denver', 'city-county', 'CO', 'City and County of Denver'],
  ['fremont-ca', 'City of Fremont', 'city', 'CA', 'Fremont, California'],
  ['jackson-ms', 'City of Jackson', 'city', 'MS', 'Jackson, Mississippi', 'medium'],
  ['king-county-wa', 'King County', 'county', 'WA', 'King County, Washington'],
  ['lawrence-ma', 'City of Lawrence', 'city', 'MA', 'Lawrence, Massachusetts'],
  ['los-angeles-ca', 'City of Los Angeles', 'city', 'CA', 'City of Los Angeles'],
  ['louisville-metro-ky', 'Louisville/Jefferson County Metro Government', 'metro', 'KY', 'Louisville Metro, Kentucky'],
  ['monterey-county-ca', 'County of Monterey', 'county', 'CA', 'Monterey County, California'],
  ['sacramento-county-ca', 'County of Sacramento', 'county', 'CA', 'Sacramento County, California'],
  ['san-francisco-ca', 'City and County of San Francisco', 'city-county', 'CA', 'City and County of San Francisco'],
  ['sonoma-county-ca', 'County of Sonoma', 'county', 'CA', 'Sonoma County, California'],
  ['watsonville-ca', 'City of Watsonville', 'city', 'CA', 'Watsonville, California'],
  ['west-palm-beach-fl', 'City of West Palm Beach', 'city', 'FL', 'West Palm Beach, Florida'],
  ['state-of-illinois', 'State of Illinois', 'state', 'IL', 'State of Illinois'],
  ['state-of-oregon', 'State of Oregon', 'state', 'OR', 'State of Oregon'],
];

/** The five entries whose state the article leaves out (FACTS.md §2). */
const STATE_NOT_IN_ARTICLE = new Set(['chicago-il', 'new-york-city-ny', 'denver-co', 'los-angeles-ca', 'san-francisco-ca']);

const jurisdictionRefs = JURISDICTIONS.map(([slug]) => `jurisdiction:${slug}`);

// ---------------------------------------------------------------------------------------------
// The article's words

/** The two demanded records, as the article quotes them. The first is the LA Times' paraphrase (correction 4). */
const DEMAND_PARAPHRASE =
  'records showing whether law enforcement officers are sharing information with federal agents on the immigration status of people in their custody.';
const DEMAND_LETTER_PASSAGE =
  'reflecting any orders, directives, instructions, or guidance to your law enforcement employees (including, but not limited to, police officers, correctional officers, and contract employees), whether formal or informal, that were distributed, produced, and/or in effect during the relevant timeframe, regarding whether and how these employees may, or may not, communicate with the Department of Justice, the Department of Homeland Security, and/or Immigration and Customs Enforcement, or their agents, whether directly or indirectly.';

const SESSIONS_QUOTE =
  'I continue to urge all jurisdictions under review to reconsider policies that place the safety of their communities and their residents at risk. Protecting criminal aliens from federal immigration authorities defies common sense and undermines the rule of law. We have seen too many examples of the threat to public safety represented by jurisdictions that actively thwart the federal government’s immigration enforcement — enough is enough.';
const DOJ_WARNING_QUOTE =
  'If these jurisdictions fail to respond to our request, fail to respond completely or fail to respond in a timely manner, we will exercise our lawful authorities and issue subpoenas for the information';
const DE_BLASIO_QUOTE =
  'I will NOT be attending today’s meeting at the White House after @realDonaldTrump’s Department of Justice decided to renew their racist assault on our immigrant communities. It doesn’t make us safer and it violates America’s core values.';
const LANDRIEU_QUOTE =
  'Unfortunately, the Trump administration’s decision to threaten mayors and demonize immigrants yet again — and use cities as political props in the process — has made this meeting untenable. The U.S. Conference of Mayors is proud to be a bipartisan organization. But an attack on mayors who lead welcoming cities is an attack on everyone in the conference. When the president is prepared to engage in an honest conversation about the future of our shared constituencies, we will be honored to join him. Until that time, mayors of both parties will work together to keep our cities safe, hold this administration accountable to its promises, and protect immigrant communities – with or without Washington’s help.';
const WALTERS_STUNT_QUOTE =
  'We are disappointed that a number of mayors have chosen to make a political stunt instead of participating in an important discussion with the President and his administration.';
const WALTERS_ORGANIZE_QUOTE =
  'It’s a little hard for them to cancel a meeting that they did not organize. This is a White House meeting. This is a bipartisan meeting. … It’s really difficult to cancel something that you never organized.';
const NIELSEN_REPORTED = 'federal prosecutors would soon be prosecuting sanctuary cities';

const BOYCOTT_SENTENCE =
  'New York City Mayor Bill de Blasio and New Orleans Mayor Mitch Landrieu, both Democrats, were the first of a number of mayors to protest the Justice Department’s letters by boycotting Trump’s meeting with the U.S. Conference of Mayors.';

// ---------------------------------------------------------------------------------------------
// Lines

function line(key, type, streamId, occurredAt, data, source, confidence) {
  const metadata = confidence ? { source, confidence } : { source };
  return { type, streamId, eventId: eventId(key), occurredAt, occurredAtPrecision: 'day', data, metadata };
}

/** A correction is dated with its target: it fixes how a fact was recorded, not the world. */
function correction(key, target, changes, reason, kind, source, confidence) {
  const data = { targetEventId: target.eventId, changes, reason, kind };
  return line(key, 'CorrectionRecorded', target.streamId, target.occurredAt, data, source, confidence);
}

function buildLines() {
  const out = [];
  const add = (l) => (out.push(l), l);

  // 1. Registrations.
  for (const [slug, data, quote] of ORGANIZATIONS) {
    add(line(`organization/${slug}/registered`, 'OrganizationRegistered', `organization-${slug}`, STANDING, data, article(quote)));
  }
  const officials = {};
  for (const [slug, data, source, confidence] of OFFICIALS) {
    officials[slug] = add(
      line(`official/${slug}/registered`, 'OfficialRegistered', `official-${slug}`, STANDING, data, source, confidence),
    );
  }
  for (const [slug, name, kind, state, entry, confidence] of JURISDICTIONS) {
    const source = STATE_NOT_IN_ARTICLE.has(slug) ? REFS.R1 : article(entry);
    add(line(`jurisdiction/${slug}/registered`, 'JurisdictionRegistered', `jurisdiction-${slug}`, STANDING, { name, kind, state }, source, confidence));
  }
  const meeting = add(
    line(
      `meeting/${MEETING_ID}/scheduled`,
      'MeetingScheduled',
      `meeting-${MEETING_ID}`,
      STANDING,
      {
        title: 'Meeting between President Donald Trump and the U.S. Conference of Mayors',
        host: 'organization:white-house',
        scheduledFor: '2018-01-24',
        location: 'The White House',
        invitees: ['organization:us-conference-of-mayors'],
      },
      article('a scheduled meeting at the White House between President Donald Trump and the U.S. Conference of Mayors'),
    ),
  );

  // 2. Nielsen's earlier warning (the day from the Senate Judiciary Committee record; the article says "just last week").
  const nielsenStatement = add(
    line(
      'official/kirstjen-nielsen/statement/2018-01-16',
      'StatementIssued',
      'official-kirstjen-nielsen',
      '2018-01-16',
      {
        statementId: 'nielsen-2018-01-16-warning',
        channel: 'testimony',
        quote: NIELSEN_REPORTED,
        about: [],
        venue: 'Capital Hill',
        claim: 'Warned lawmakers that federal prosecutors would soon be prosecuting sanctuary cities (reported speech: the article gives no direct quote).',
      },
      article(
        'Just last week, Homeland Security Secretary Kirstjen Nielson warned lawmakers on Capital Hill that federal prosecutors would soon be prosecuting sanctuary cities.',
      ),
      'low',
    ),
  );

  // 3. The 23 letters, each with its deadline, subpoena threat and funding threat.
  const letters = [];
  for (const [slug] of JURISDICTIONS) {
    const streamId = `jurisdiction-${slug}`;
    letters.push(
      add(
        line(
          `jurisdiction/${slug}/letter/${LETTER_ID}`,
          'LetterSent',
          streamId,
          LETTER_DAY,
          {
            letterId: LETTER_ID,
            from: 'organization:us-doj',
            subject: 'Request for records on whether law enforcement shares information with federal immigration authorities',
            demands: [DEMAND_PARAPHRASE, DEMAND_LETTER_PASSAGE],
            threats: ['subpoena', 'funding-cut'],
          },
          article(
            'The DOJ’s warnings arrived via letters, which threatened legal action against the sanctuary cities for refusing to cooperate with Immigration and Customs Enforcement. The letters demanded each of the cities, counties, and states to provide “records showing whether law enforcement officers are sharing information with federal agents on the immigration status of people in their custody.”',
          ),
        ),
      ),
    );
    add(
      line(
        `jurisdiction/${slug}/deadline/${DEADLINE_ID}`,
        'DeadlineSet',
        streamId,
        LETTER_DAY,
        {
          deadlineId: DEADLINE_ID,
          letterId: LETTER_ID,
          dueAt: '2018-02-23',
          requirement: 'Respond completely to the Justice Department’s request for the records named in its letter of 2018-01-24.',
        },
        REFS.R3,
      ),
    );
    add(
      line(
        `jurisdiction/${slug}/subpoena-threat/${LETTER_ID}`,
        'SubpoenaThreatened',
        streamId,
        LETTER_DAY,
        {
          by: 'organization:us-doj',
          letterId: LETTER_ID,
          condition: 'If the jurisdiction fails to respond to the request, fails to respond completely or fails to respond in a timely manner.',
        },
        article('The Department of Justice threatened Wednesday to subpoena 23 jurisdictions that act as “sanctuary cities,” including America’s three largest cities and three states.'),
      ),
    );
    add(
      line(
        `jurisdiction/${slug}/funding-threat/${LETTER_ID}`,
        'FundingThreatened',
        streamId,
        LETTER_DAY,
        {
          by: 'organization:us-doj',
          program: 'Federal grant funds',
          condition: 'If the jurisdiction does not comply.',
          letterId: LETTER_ID,
          measures: ['cut off', 'reduce'],
        },
        article('The department also threatened to cut off or reduce federal grant funds if jurisdictions did not comply.'),
      ),
    );
  }

  // 4. Statements of 2018-01-24.
  add(
    line(
      'official/jeff-sessions/statement/2018-01-24',
      'StatementIssued',
      'official-jeff-sessions',
      LETTER_DAY,
      { statementId: 'sessions-2018-01-24', channel: 'press-statement', quote: SESSIONS_QUOTE, about: jurisdictionRefs },
      article(
        '“I continue to urge all jurisdictions under review to reconsider policies that place the safety of their communities and their residents at risk,” Sessions said in a statement Wednesday. “Protecting criminal aliens from federal immigration authorities defies common sense and undermines the rule of law. We have seen too many examples of the threat to public safety represented by jurisdictions that actively thwart the federal government’s immigration enforcement — enough is enough.”',
      ),
    ),
  );
  const dojWarning = add(
    line(
      'organization/us-doj/statement/2018-01-24-subpoena-warning',
      'StatementIssued',
      'organization-us-doj',
      LETTER_DAY,
      // The article says only "the DOJ said"; recorded as an institutional statement, corrected below.
      { statementId: 'doj-2018-01-24-subpoena-warning', channel: 'press-statement', quote: DOJ_WARNING_QUOTE, about: jurisdictionRefs },
      article(`“${DOJ_WARNING_QUOTE},” the DOJ said.`),
    ),
  );
  add(
    line(
      'official/bill-de-blasio/statement/2018-01-24',
      'StatementIssued',
      'official-bill-de-blasio',
      LETTER_DAY,
      {
        statementId: 'de-blasio-2018-01-24-tweet',
        channel: 'tweet',
        quote: DE_BLASIO_QUOTE,
        about: [`meeting:${MEETING_ID}`, 'organization:us-doj'],
      },
      article(
        '“I will NOT be attending today’s meeting at the White House after @realDonaldTrump’s Department of Justice decided to renew their racist assault on our immigrant communities,” de Blasio tweeted. “It doesn’t make us safer and it violates America’s core values.”',
      ),
    ),
  );
  const boycott = (slug, data, source, confidence) =>
    add(line(`official/${slug}/boycott/${MEETING_ID}`, 'BoycottDeclared', `official-${slug}`, LETTER_DAY, { meetingId: MEETING_ID, ...data }, source, confidence));
  boycott('bill-de-blasio', { form: 'boycott', reason: 'To protest the Justice Department’s letters.' }, article(BOYCOTT_SENTENCE));
  const landrieuStatement = add(
    line(
      'official/mitch-landrieu/statement/2018-01-24',
      'StatementIssued',
      'official-mitch-landrieu',
      LETTER_DAY,
      {
        statementId: 'landrieu-2018-01-24',
        channel: 'tweet',
        quote: LANDRIEU_QUOTE,
        about: [`meeting:${MEETING_ID}`, 'official:donald-trump'],
        onBehalfOf: 'organization:us-conference-of-mayors',
      },
      article(
        '“Unfortunately, the Trump administration’s decision to threaten mayors and demonize immigrants yet again — and use cities as political props in the process — has made this meeting untenable,” Landrieu, who is also the president of the U.S. Conference of Mayors, tweeted Wednesday. “The U.S. Conference of Mayors is proud to be a bipartisan organization. But an attack on mayors who lead welcoming cities is an attack on everyone in the conference.” He added: “When the president is prepared to engage in an honest conversation about the future of our shared constituencies, we will be honored to join him. Until that time, mayors of both parties will work together to keep our cities safe, hold this administration accountable to its promises, and protect immigrant communities – with or without Washington’s help.”',
      ),
      'medium',
    ),
  );
  boycott('mitch-landrieu', { form: 'boycott', reason: 'To protest the Justice Department’s letters.' }, article(BOYCOTT_SENTENCE));
  const nonAttendance = article(
    'At press time, it was unclear exactly how many mayors did not attend, but Los Angeles Mayor Eric Garcetti and Chicago Mayor Rahm Emanuel of Chicago, both Democrats, did not attend.',
  );
  boycott('eric-garcetti', { form: 'non-attendance' }, nonAttendance);
  boycott('rahm-emanuel', { form: 'non-attendance' }, nonAttendance);
  const kautzBoycott = boycott(
    'elizabeth-kautz',
    { form: 'boycott', reason: 'Because of the subpoena threats (as she told CNN, per the article).' },
    article('Mayor Elizabeth Kautz (R) of Burnsville, Minnesota, told CNN she was boycotting because of the subpoena threats.'),
    'low',
  );
  add(
    line(
      'official/lindsay-walters/statement/2018-01-24-political-stunt',
      'StatementIssued',
      'official-lindsay-walters',
      LETTER_DAY,
      {
        statementId: 'walters-2018-01-24-political-stunt',
        channel: 'press-statement',
        quote: WALTERS_STUNT_QUOTE,
        about: [`meeting:${MEETING_ID}`, 'organization:us-conference-of-mayors'],
        onBehalfOf: 'organization:white-house',
      },
      article(
        'In a statement, White House deputy press secretary Lindsay Walters addressed the mayors’ boycott, saying, “We are disappointed that a number of mayors have chosen to make a political stunt instead of participating in an important discussion with the President and his administration.”',
      ),
      // FACTS.md: other reports attribute this one to "the White House", not to Walters by name.
      'medium',
    ),
  );
  add(
    line(
      'official/lindsay-walters/statement/2018-01-24-did-not-organize',
      'StatementIssued',
      'official-lindsay-walters',
      LETTER_DAY,
      {
        statementId: 'walters-2018-01-24-did-not-organize',
        channel: 'press-statement',
        quote: WALTERS_ORGANIZE_QUOTE,
        about: [`meeting:${MEETING_ID}`, 'organization:us-conference-of-mayors'],
        onBehalfOf: 'organization:white-house',
      },
      article(
        '“It’s a little hard for them to cancel a meeting that they did not organize,” Walters added. “This is a White House meeting. This is a bipartisan meeting. … It’s really difficult to cancel something that you never organized.”',
      ),
    ),
  );
  add(
    line(
      `meeting/${MEETING_ID}/held`,
      'MeetingHeld',
      `meeting-${MEETING_ID}`,
      LETTER_DAY,
      { location: 'The White House', notes: 'The President held the session with the mayors who attended (transcript: “Remarks at a Working Session With Mayors”).' },
      REFS.R19,
    ),
  );

  // 5. The fact-check's corrections (FACTS.md §3), recorded after the article's version.
  add(
    correction(
      'correction/01-nielsen-spelling',
      officials['kirstjen-nielsen'],
      [{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }],
      'The article misspells the Secretary’s surname: it is Nielsen (Senate Judiciary Committee hearing record).',
      'spelling',
      REFS.R8,
    ),
  );
  add(
    correction(
      'correction/02-capitol-hill',
      nielsenStatement,
      [{ path: 'data.venue', from: 'Capital Hill', to: 'Capitol Hill' }],
      'The article writes “Capital Hill”; the testimony was given on Capitol Hill, at the Senate Judiciary Committee’s oversight hearing of the Department of Homeland Security.',
      'spelling',
      REFS.R8,
    ),
  );
  add(
    correction(
      'correction/03-nielsen-characterisation',
      nielsenStatement,
      [
        { path: 'data.quote', from: NIELSEN_REPORTED, to: 'is reviewing what avenues might be available' },
        {
          path: 'data.claim',
          from: nielsenStatement.data.claim,
          to: 'DHS had asked the Justice Department to look into criminal charges against elected officials of sanctuary jurisdictions; the Justice Department “is reviewing what avenues might be available”; she was “not aware of any cases”. She did not say that federal prosecutors would soon be prosecuting sanctuary cities.',
        },
        { path: 'metadata.confidence', from: 'low', to: 'high' },
      ],
      'The article overstates the testimony: Nielsen said DOJ was reviewing possible charges against elected officials and knew of no cases (Breitbart, 2018-01-17; Harris and Feinstein letter, YubaNet).',
      'characterisation',
      REFS.R9,
    ),
  );
  JURISDICTIONS.forEach(([slug], i) => {
    add(
      correction(
        `correction/04-letter-demands/${slug}`,
        letters[i],
        [{ path: 'data.demands', from: [DEMAND_PARAPHRASE, DEMAND_LETTER_PASSAGE], to: [`All documents ${DEMAND_LETTER_PASSAGE}`] }],
        'The first passage the article quotes as the letters’ demand (“records showing whether law enforcement officers are sharing information…”) is the Los Angeles Times’ paraphrase, not the letters’ text; the letters’ own wording is the “All documents reflecting any orders…” passage.',
        'attribution',
        REFS.R21,
        'medium',
      ),
    );
  });
  add(
    correction(
      'correction/05-doj-warning-speaker',
      dojWarning,
      // The speaker is given in the reason: a correction cannot yet add a field that was absent
      // (FieldChange.from rejects null), so no `onBehalfOf` pointing at an unnamed official.
      [{ path: 'data.channel', from: 'press-statement', to: 'briefing' }],
      'The article attributes the warning to “the DOJ” as if in a statement; it was said by an unnamed senior Justice Department official on a call with reporters (Reuters).',
      'attribution',
      REFS.R7,
    ),
  );
  add(
    correction(
      'correction/06-landrieu-wording',
      landrieuStatement,
      [{ path: 'data.quote', from: LANDRIEU_QUOTE, to: LANDRIEU_QUOTE.replace('everyone in the conference', 'everyone in our conference') }],
      'The U.S. Conference of Mayors’ statement reads “an attack on everyone in our conference”, not “in the conference” (Democracy in Action; NBC News).',
      'quote-wording',
      REFS.R12,
    ),
  );
  add(
    correction(
      'correction/06-landrieu-channel',
      landrieuStatement,
      [{ path: 'data.channel', from: 'tweet', to: 'press-statement' }],
      'Landrieu’s text was issued as a U.S. Conference of Mayors statement; that it was tweeted, as the article says, is unverified.',
      'attribution',
      REFS.R13,
      'medium',
    ),
  );
  add(
    correction(
      'correction/07-kautz-reason',
      kautzBoycott,
      [
        {
          path: 'data.reason',
          from: kautzBoycott.data.reason,
          to: 'Not established: per CNN as relayed, a U.S. Conference of Mayors spokesperson told CNN that she declined to attend; no source was found for a reason stated by Kautz herself.',
        },
      ],
      'The article says Kautz told CNN she was boycotting because of the subpoena threats; the relayed CNN report has a USCM spokesperson saying she declined, with no reason of her own (weak relay source).',
      'attribution',
      REFS.R15,
      'low',
    ),
  );
  add(
    correction(
      'correction/08-meeting-framing',
      meeting,
      [
        {
          path: 'data.title',
          from: meeting.data.title,
          to: 'White House working session with mayors (the U.S. Conference of Mayors withdrew its participation)',
        },
      ],
      'Not a meeting between the President and the U.S. Conference of Mayors: the USCM called off its participation, and the White House, which says it organised the meeting, held its own session with the mayors who came (NBC News; NBC DFW).',
      'framing',
      REFS.R13,
    ),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output and checks

const toNdjson = (lines) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

const normalise = (text) => text.replace(/\s+/g, ' ').trim();

/** Every article-sourced quote must occur in the article (whitespace, incl. no-break spaces, normalised). */
function checkQuotes(lines, articleText) {
  const haystack = normalise(articleText);
  const missing = [];
  for (const l of lines) {
    const source = l.metadata.source;
    if (source.publication !== ARTICLE.publication || !source.quote) continue;
    for (const fragment of source.quote.split(' … ')) {
      if (!haystack.includes(normalise(fragment))) missing.push(`${l.type} ${l.streamId}: ${fragment}`);
    }
  }
  return missing;
}

function main(argv) {
  const lines = buildLines();
  const text = toNdjson(lines);
  const articleAt = argv.indexOf('--article');
  if (articleAt >= 0) {
    const missing = checkQuotes(lines, fs.readFileSync(argv[articleAt + 1], 'utf8'));
    if (missing.length) {
      console.error(`Quotes not found in the article:\n${missing.join('\n')}`);
      process.exit(1);
    }
  }
  if (argv.includes('--check')) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${OUTPUT} is out of date; run this script without --check.`);
      process.exit(1);
    }
    console.log(`${OUTPUT} is up to date (${lines.length} lines).`);
    return;
  }
  fs.writeFileSync(OUTPUT, text);
  console.log(`wrote ${lines.length} lines to ${OUTPUT}`);
}

module.exports = { buildLines, toNdjson, uuidv5, eventId, OUTPUT };

if (require.main === module) main(process.argv.slice(2));
