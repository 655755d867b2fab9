import { readDatasetLines, readDatasetText } from '@ledger/datasets';
import { startTestLedger, type TestLedger } from '../support/app';
import { waitFor } from '../support/events';

/**
 * The demo's promises, checked on the in-process app with the dataset imported through
 * POST /v1/import and the background work running (projections, deadline watcher):
 * what an analyst and an auditor see of the 2018 sanctuary-jurisdiction dispute.
 */
const dataset = readDatasetLines();
const JURISDICTIONS = dataset.filter((l) => l.type === 'JurisdictionRegistered').map((l) => l.streamId.replace(/^jurisdiction-/, ''));
const MEETING = 'wh-mayors-2018-01-24';
const LETTER = 'doj-2018-01-24';

interface Threat {
  by: string;
  via: string;
  letterId?: string;
}
interface Jurisdiction {
  id: string;
  kind: string;
  status: string;
  lettersReceived: number;
  lapsedDeadlines: number;
  openDeadlines: number;
  subpoenaThreats: Threat[];
  fundingThreats: Threat[];
  letters: { letterId: string; from: string }[];
  deadlines: { deadlineId: string; letterId: string; dueAt: string; status: string }[];
}

describe('the demo dataset, as the api shows it', () => {
  let ledger: TestLedger;
  let head: number;

  const get = async <T = any>(url: string): Promise<T> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const separator = url.includes('?') ? '&' : '?';
    const response = await ledger.inject({ method: 'GET', url: `${url}${separator}minPosition=${head}` });
    if (response.statusCode !== 200) throw new Error(`GET ${url} → ${response.statusCode} ${response.body}`);
    return response.json();
  };
  /** Point-in-time and log routes take no minPosition (they read the log). */
  const getAsIs = async <T = any>(url: string): Promise<T> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await ledger.inject({ method: 'GET', url });
    if (response.statusCode !== 200) throw new Error(`GET ${url} → ${response.statusCode} ${response.body}`);
    return response.json();
  };

  beforeAll(async () => {
    ledger = await startTestLedger();
    const imported = await ledger.inject({
      method: 'POST',
      url: '/v1/import',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: readDatasetText(),
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ appended: dataset.length, rejected: 0 });
    // The deadline watcher lapses every deadline (2018-02-23 is long past, nobody responded).
    await waitFor(async () => (await ledger.store.readAll({ types: ['DeadlineLapsed'], limit: 100 })).length === JURISDICTIONS.length, 20_000, 'the deadlines to lapse');
    head = await ledger.store.headPosition();
  }, 60_000);
  afterAll(async () => {
    await ledger?.dispose();
  });

  describe('jurisdictions', () => {
    let all: Jurisdiction[];
    beforeAll(async () => {
      all = (await get<{ items: Jurisdiction[]; nextCursor: null }>('/v1/jurisdictions?limit=500')).items;
    });

    it('lists the 23 that received a letter', () => {
      expect(JURISDICTIONS).toHaveLength(23);
      expect(all.map((j) => j.id).sort()).toEqual([...JURISDICTIONS].sort());
    });

    it('each has one letter, the 2018-02-23 deadline (lapsed), a subpoena threat and a funding threat', async () => {
      // The list answers summaries; letters and deadlines are on each jurisdiction's own view.
      for (const { id } of all) {
        const j = await get<Jurisdiction>(`/v1/jurisdictions/${id}`);
        const context = { id: j.id };
        expect({ ...context, letters: j.letters.map((l) => [l.letterId, l.from]) }).toEqual({ ...context, letters: [[LETTER, 'organization:us-doj']] });
        expect({ ...context, lettersReceived: j.lettersReceived, lapsed: j.lapsedDeadlines, open: j.openDeadlines, status: j.status }).toEqual({
          ...context,
          lettersReceived: 1,
          lapsed: 1,
          open: 0,
          status: 'overdue',
        });
        expect(j.deadlines).toEqual([expect.objectContaining({ deadlineId: `${LETTER}-response`, letterId: LETTER, dueAt: '2018-02-23', status: 'lapsed' })]);
        // One recorded threat of each kind (the letter's own list of threats is shown beside them).
        const recorded = (threats: Threat[]) => threats.filter((t) => t.via === 'threat').map((t) => [t.by, t.letterId]);
        expect({ ...context, subpoena: recorded(j.subpoenaThreats), funding: recorded(j.fundingThreats) }).toEqual({
          ...context,
          subpoena: [['organization:us-doj', LETTER]],
          funding: [['organization:us-doj', LETTER]],
        });
      }
    });

    it('finds the threatened ones by threat, and the three states among them', async () => {
      const subpoena = await get<{ items: Jurisdiction[] }>('/v1/jurisdictions?threatened=subpoena&limit=500');
      const funding = await get<{ items: Jurisdiction[] }>('/v1/jurisdictions?threatened=funding&limit=500');
      expect(subpoena.items).toHaveLength(23);
      expect(funding.items).toHaveLength(23);
      const states = await get<{ items: Jurisdiction[] }>('/v1/jurisdictions?kind=state');
      expect(states.items.map((j) => j.id)).toEqual(['state-of-california', 'state-of-illinois', 'state-of-oregon']);
    });

    it('Chicago as of 2018-01-23: registered, no letter, no threat', async () => {
      const before = await getAsIs<Jurisdiction>('/v1/jurisdictions/chicago-il?asOf=2018-01-23');
      expect(before).toMatchObject({ id: 'chicago-il', name: 'City of Chicago', status: 'no-letter', lettersReceived: 0, letters: [], deadlines: [], subpoenaThreats: [], fundingThreats: [] });
      const dayOf = await getAsIs<Jurisdiction>('/v1/jurisdictions/chicago-il?asOf=2018-01-24');
      expect(dayOf).toMatchObject({ status: 'awaiting-response', lettersReceived: 1 });
    });
  });

  describe('the boycott', () => {
    it('the meeting shows the boycotting officials with their parties', async () => {
      const meeting = await get(`/v1/meetings/${MEETING}`);
      const boycotts = meeting.boycotts.map((b: { officialId: string; party: string; form: string }) => [b.officialId, b.party, b.form]);
      expect(boycotts.sort()).toEqual([
        ['bill-de-blasio', 'democratic', 'boycott'],
        ['elizabeth-kautz', 'republican', 'boycott'],
        ['eric-garcetti', 'democratic', 'non-attendance'],
        ['mitch-landrieu', 'democratic', 'boycott'],
        ['rahm-emanuel', 'democratic', 'non-attendance'],
      ]);
      expect(meeting.boycottsByParty).toEqual({ democratic: 4, republican: 1 });
    });

    it('the officials who boycotted can be listed by the meeting', async () => {
      const { items } = await get(`/v1/officials?boycotted=${MEETING}`);
      expect(items.map((o: { id: string; party: string }) => `${o.id} ${o.party}`)).toEqual([
        'bill-de-blasio democratic',
        'elizabeth-kautz republican',
        'eric-garcetti democratic',
        'mitch-landrieu democratic',
        'rahm-emanuel democratic',
      ]);
    });
  });

  it('shows the statements by Sessions, de Blasio, Landrieu and Walters', async () => {
    const quotes = async (id: string) => ((await get(`/v1/officials/${id}`)).statements as { quote: string }[]).map((s) => s.quote);
    expect(await quotes('jeff-sessions')).toEqual([expect.stringMatching(/^I continue to urge all jurisdictions under review to reconsider policies/)]);
    expect(await quotes('bill-de-blasio')).toEqual([expect.stringMatching(/^I will NOT be attending today’s meeting at the White House/)]);
    expect(await quotes('mitch-landrieu')).toEqual([expect.stringMatching(/^Unfortunately, the Trump administration’s decision to threaten mayors/)]);
    expect((await quotes('lindsay-walters')).sort()).toEqual([
      expect.stringMatching(/^It’s a little hard for them to cancel a meeting that they did not organize/),
      expect.stringMatching(/^We are disappointed that a number of mayors have chosen to make a political stunt/),
    ]);
    const sessions = await get('/v1/officials/jeff-sessions');
    expect(sessions).toMatchObject({ name: 'Jeff Sessions', party: 'republican', statementCount: 1 });
  });

  describe('Nielsen', () => {
    it('the views show the corrected name', async () => {
      const official = await get('/v1/officials/kirstjen-nielsen');
      expect(official).toMatchObject({ name: 'Kirstjen Nielsen', corrected: true, correctedFields: ['name'] });
      expect(official.corrections).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ targetType: 'OfficialRegistered', changes: [{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }] }),
        ]),
      );
      const { items } = await get('/v1/officials?q=nielsen');
      expect(items.map((o: { name: string }) => o.name)).toEqual(['Kirstjen Nielsen']);
    });

    it("the timeline keeps the article's \"Nielson\" and the correction", async () => {
      const { items } = await getAsIs('/v1/timeline?streamId=official-kirstjen-nielsen&limit=100');
      const registered = items.find((e: { type: string }) => e.type === 'OfficialRegistered');
      expect(registered.data.name).toBe('Kirstjen Nielson');
      const correction = items.find(
        (e: { type: string; data: { targetEventId?: string } }) => e.type === 'CorrectionRecorded' && e.data.targetEventId === registered.eventId,
      );
      expect(correction.data.changes).toEqual([{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }]);
      expect(correction.position).toBeGreaterThan(registered.position);
    });
  });

  it('the hash chains verify', async () => {
    const report = await getAsIs('/v1/audit/verify');
    expect(report).toMatchObject({ ok: true, firstBroken: null });
    expect(report.eventsChecked).toBe(dataset.length + JURISDICTIONS.length);
  });
});
