import { lapseEventId, lapseTime } from './lapse-id';

describe('the id of a DeadlineLapsed event', () => {
  test('is the same wherever and whenever it is computed, and differs per deadline', () => {
    const id = lapseEventId('jurisdiction-chicago-il', 'doj-2018-02-23');
    expect(id).toBe(lapseEventId('jurisdiction-chicago-il', 'doj-2018-02-23'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lapseEventId('jurisdiction-cook-county-il', 'doj-2018-02-23')).not.toBe(id);
    expect(lapseEventId('jurisdiction-chicago-il', 'doj-2018-03-23')).not.toBe(id);
  });

  test('a day-precision due date lapses when the whole day has passed', () => {
    expect(lapseTime(Date.parse('2018-02-24T00:00:00Z'))).toBe('2018-02-24T00:00:00Z');
  });
});
