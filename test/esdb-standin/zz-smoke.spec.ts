import { EsdbStandIn } from './standin-server';
import { EsdbEventStore } from '../../libs/event-store/src/esdb';
import { newEvent } from '../support/events';

it('smoke', async () => {
  for (const batchAppend of [false, true]) {
    const standIn = await new EsdbStandIn({ batchAppend }).start();
    const store = new EsdbEventStore({ connectionString: standIn.connectionString });
    const s = 'jurisdiction-x';
    const r1 = await store.append(s, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });
    console.log(batchAppend, r1.revision, r1.position, r1.events.map((e) => e.position));
    await expect(store.append(s, [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
    const e = newEvent();
    const r2 = await store.append(s, [e]);
    const r3 = await store.append(s, [e]);
    console.log(r2.position, r3.position, r3.idempotent);
    console.log((await store.readStream(s)).map((x) => [x.revision, x.position]));
    console.log((await store.readAll()).map((x) => [x.streamId, x.position]));
    console.log(await store.headPosition(), await store.getEvent(e.eventId).then((x) => x?.revision));
    console.log(Object.fromEntries(standIn.calls));
    await store.close();
    await standIn.stop();
  }
});
