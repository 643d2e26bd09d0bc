// The log store contract: how every Store adapter keeps and reads invocation logs, run by log-store.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidCursor } from "../../src/store/errors.js";
import { InvalidFilterPattern } from "../../src/store/log-events.js";
import type {
  LogEventInput,
  LogFilterQuery,
  LogStoreTx,
  Page,
  Store,
  StoredLogEvent,
} from "../../src/store/port.js";

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const G = "/aws/lambda/svc-dev-preSignUp";

const events = (...pairs: [number, string][]): LogEventInput[] =>
  pairs.map(([offset, message]) => ({ timestamp: T0 + offset, message }));

const messages = (list: { message: string }[]): string[] => list.map((e) => e.message);

/** Every page of a listing, following `next`. */
async function allPages<T>(read: (after: string | undefined) => Promise<Page<T>>): Promise<T[][]> {
  const pages: T[][] = [];
  let after: string | undefined;
  do {
    const page = await read(after);
    pages.push(page.items);
    after = page.next;
  } while (after !== undefined && pages.length < 100);
  return pages;
}

export function describeLogStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`log store contract: ${name}`, () => {
    let store: Store;
    const tx = <T>(work: (t: LogStoreTx) => Promise<T>): Promise<T> => store.transaction(work);
    const append = (group: string, stream: string, list: LogEventInput[], at = T0) =>
      tx((t) => t.appendLogEvents(group, stream, list, at));
    const filter = (query: Partial<LogFilterQuery>, group = G) =>
      tx((t) => t.filterLogEvents(group, { limit: 100, after: undefined, ...query }));

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe("appendLogEvents", () => {
      it("creates the group and stream on first use and keeps their times and sizes", async () => {
        await append(G, "s1", events([5, "START\n"], [3, "héllo\n"]), T0 + 100);
        await append(G, "s1", events([9, "END\n"]), T0 + 200);
        await append(G, "s2", events([1, "x"]), T0 + 300);
        expect(await tx((t) => t.getLogGroup(G))).toEqual({
          name: G,
          creationTime: T0 + 100,
          // UTF-8 bytes (é is two) plus 26 per event.
          storedBytes: 6 + 26 + 7 + 26 + 4 + 26 + 1 + 26,
        });
        expect(await tx((t) => t.getLogStream(G, "s1"))).toEqual({
          group: G,
          name: "s1",
          creationTime: T0 + 100,
          firstEventTimestamp: T0 + 3,
          lastEventTimestamp: T0 + 9,
          lastIngestionTime: T0 + 200,
          storedBytes: 6 + 26 + 7 + 26 + 4 + 26,
        });
        expect(await tx((t) => t.getLogGroup("/aws/lambda/other"))).toBeUndefined();
        expect(await tx((t) => t.getLogStream(G, "s3"))).toBeUndefined();
      });

      it("creates an empty stream when there are no events, and keeps its times when an empty batch follows", async () => {
        await append(G, "empty", [], T0 + 1);
        expect(await tx((t) => t.getLogStream(G, "empty"))).toEqual({
          group: G,
          name: "empty",
          creationTime: T0 + 1,
          firstEventTimestamp: undefined,
          lastEventTimestamp: undefined,
          lastIngestionTime: undefined,
          storedBytes: 0,
        });
        await append(G, "empty", events([7, "a"]), T0 + 2);
        await append(G, "empty", [], T0 + 3);
        expect(await tx((t) => t.getLogStream(G, "empty"))).toMatchObject({
          creationTime: T0 + 1,
          firstEventTimestamp: T0 + 7,
          lastEventTimestamp: T0 + 7,
          lastIngestionTime: T0 + 2,
        });
      });

      it("writes nothing when the transaction fails", async () => {
        await append(G, "s1", events([1, "kept"]));
        await expect(
          store.transaction(async (t) => {
            await t.appendLogEvents(G, "s1", events([2, "lost"]), T0 + 5);
            await t.appendLogEvents("/aws/lambda/new", "s", events([2, "lost"]), T0 + 5);
            throw new Error("rolled back");
          }),
        ).rejects.toThrow("rolled back");
        expect(await tx((t) => t.getLogGroup("/aws/lambda/new"))).toBeUndefined();
        expect(await tx((t) => t.getLogStream(G, "s1"))).toMatchObject({
          lastEventTimestamp: T0 + 1,
          lastIngestionTime: T0,
          storedBytes: 4 + 26,
        });
        const page = await filter({});
        expect(messages(page.items)).toEqual(["kept"]);
        // Appends after the rollback still get ids of their own.
        await append(G, "s1", events([3, "later"]));
        const ids = (await filter({})).items.map((e) => e.seq);
        expect(new Set(ids).size).toBe(2);
      });

      it("refuses timestamps that are not epoch milliseconds", async () => {
        await expect(append(G, "s", [{ timestamp: 1.5, message: "x" }])).rejects.toThrow(RangeError);
        await expect(append(G, "s", [{ timestamp: -1, message: "x" }])).rejects.toThrow(RangeError);
        await expect(append("", "s", [])).rejects.toThrow(RangeError);
      });
    });

    describe("describeLogGroups", () => {
      beforeEach(async () => {
        for (const group of [
          "/aws/lambda/b",
          "/aws/lambda/a",
          "/aws/lambda/ab",
          "/custom/x",
          "/aws/lambda/A",
        ]) {
          await append(group, "s", []);
        }
      });

      it("lists groups by name, filtered by prefix or by a case-sensitive substring", async () => {
        const all = await tx((t) => t.describeLogGroups({ limit: 50, after: undefined }));
        expect(all.items.map((g) => g.name)).toEqual([
          "/aws/lambda/A",
          "/aws/lambda/a",
          "/aws/lambda/ab",
          "/aws/lambda/b",
          "/custom/x",
        ]);
        expect(all.next).toBeUndefined();
        const prefixed = await tx((t) =>
          t.describeLogGroups({ prefix: "/aws/lambda/a", limit: 50, after: undefined }),
        );
        expect(prefixed.items.map((g) => g.name)).toEqual(["/aws/lambda/a", "/aws/lambda/ab"]);
        const containing = await tx((t) =>
          t.describeLogGroups({ contains: "a/A", limit: 50, after: undefined }),
        );
        expect(containing.items.map((g) => g.name)).toEqual(["/aws/lambda/A"]);
      });

      it("pages with a cursor that only this listing accepts", async () => {
        const pages = await allPages((after) => tx((t) => t.describeLogGroups({ limit: 2, after })));
        expect(pages.map((p) => p.map((g) => g.name))).toEqual([
          ["/aws/lambda/A", "/aws/lambda/a"],
          ["/aws/lambda/ab", "/aws/lambda/b"],
          ["/custom/x"],
        ]);
        await append(G, "s1", []);
        await append(G, "s2", []);
        const streams = await tx((t) =>
          t.describeLogStreams(G, {
            orderBy: "LogStreamName",
            descending: false,
            limit: 1,
            after: undefined,
          }),
        );
        await expect(
          tx((t) => t.describeLogGroups({ limit: 2, after: streams.next })),
        ).rejects.toBeInstanceOf(InvalidCursor);
        await expect(tx((t) => t.describeLogGroups({ limit: 2, after: "garbage" }))).rejects.toBeInstanceOf(
          InvalidCursor,
        );
        await expect(tx((t) => t.describeLogGroups({ limit: 0, after: undefined }))).rejects.toThrow(
          RangeError,
        );
      });
    });

    describe("describeLogStreams", () => {
      beforeEach(async () => {
        await append(G, "2026/01/15/[$LATEST]bbb", events([30, "b"]), T0 + 40);
        await append(G, "2026/01/15/[$LATEST]aaa", events([10, "a"], [50, "a2"]), T0 + 60);
        await append(G, "2026/01/14/[$LATEST]zzz", events([20, "z"]), T0 + 25);
        await append(G, "2026/01/15/[$LATEST]empty", []);
        await append("/aws/lambda/other", "2026/01/15/[$LATEST]other", events([1, "o"]));
      });

      it("orders by name either way, with a prefix", async () => {
        const asc = await tx((t) =>
          t.describeLogStreams(G, {
            orderBy: "LogStreamName",
            descending: false,
            limit: 50,
            after: undefined,
          }),
        );
        expect(asc.items.map((s) => s.name)).toEqual([
          "2026/01/14/[$LATEST]zzz",
          "2026/01/15/[$LATEST]aaa",
          "2026/01/15/[$LATEST]bbb",
          "2026/01/15/[$LATEST]empty",
        ]);
        expect(asc.items[1]).toEqual({
          group: G,
          name: "2026/01/15/[$LATEST]aaa",
          creationTime: T0 + 60,
          firstEventTimestamp: T0 + 10,
          lastEventTimestamp: T0 + 50,
          lastIngestionTime: T0 + 60,
          storedBytes: 1 + 26 + 2 + 26,
        });
        const desc = await tx((t) =>
          t.describeLogStreams(G, {
            prefix: "2026/01/15/",
            orderBy: "LogStreamName",
            descending: true,
            limit: 50,
            after: undefined,
          }),
        );
        expect(desc.items.map((s) => s.name)).toEqual([
          "2026/01/15/[$LATEST]empty",
          "2026/01/15/[$LATEST]bbb",
          "2026/01/15/[$LATEST]aaa",
        ]);
      });

      it("orders by last event time (streams without events first), paging in either direction", async () => {
        const read = (descending: boolean) =>
          allPages((after) =>
            tx((t) => t.describeLogStreams(G, { orderBy: "LastEventTime", descending, limit: 3, after })),
          );
        expect((await read(false)).map((p) => p.map((s) => s.name))).toEqual([
          ["2026/01/15/[$LATEST]empty", "2026/01/14/[$LATEST]zzz", "2026/01/15/[$LATEST]bbb"],
          ["2026/01/15/[$LATEST]aaa"],
        ]);
        expect((await read(true)).map((p) => p.map((s) => s.name))).toEqual([
          ["2026/01/15/[$LATEST]aaa", "2026/01/15/[$LATEST]bbb", "2026/01/14/[$LATEST]zzz"],
          ["2026/01/15/[$LATEST]empty"],
        ]);
      });

      it("pages by name, and refuses a cursor of another order or group", async () => {
        const pages = await allPages((after) =>
          tx((t) => t.describeLogStreams(G, { orderBy: "LogStreamName", descending: true, limit: 3, after })),
        );
        expect(pages.map((p) => p.length)).toEqual([3, 1]);
        const first = await tx((t) =>
          t.describeLogStreams(G, {
            orderBy: "LogStreamName",
            descending: false,
            limit: 1,
            after: undefined,
          }),
        );
        await expect(
          tx((t) =>
            t.describeLogStreams(G, {
              orderBy: "LastEventTime",
              descending: false,
              limit: 1,
              after: first.next,
            }),
          ),
        ).rejects.toBeInstanceOf(InvalidCursor);
        await expect(
          tx((t) =>
            t.describeLogStreams("/aws/lambda/other", {
              orderBy: "LogStreamName",
              descending: false,
              limit: 1,
              after: first.next,
            }),
          ),
        ).rejects.toBeInstanceOf(InvalidCursor);
      });

      it("lists nothing for an unknown group", async () => {
        const page = await tx((t) =>
          t.describeLogStreams("/aws/lambda/none", {
            orderBy: "LogStreamName",
            descending: false,
            limit: 5,
            after: undefined,
          }),
        );
        expect(page).toEqual({ items: [], next: undefined });
      });
    });

    describe("getLogEvents", () => {
      const S = "2026/01/15/[$LATEST]abc";
      beforeEach(async () => {
        // Out of timestamp order across batches: reads go by timestamp, then by append order.
        await append(G, S, events([10, "e10"], [20, "e20a"], [20, "e20b"]), T0 + 30);
        await append(G, S, events([5, "e5"], [40, "e40"]), T0 + 50);
        await append(G, "other", events([15, "not mine"]));
      });
      const get = (query: Partial<Parameters<LogStoreTx["getLogEvents"]>[2]>, stream = S) =>
        tx((t) => t.getLogEvents(G, stream, { startFromHead: false, limit: 100, ...query }));

      it("reads the whole stream oldest first, with ingestion times", async () => {
        const page = await get({ startFromHead: true });
        expect(messages(page.events)).toEqual(["e5", "e10", "e20a", "e20b", "e40"]);
        expect(page.events[0]).toMatchObject({ stream: S, timestamp: T0 + 5, ingestionTime: T0 + 50 });
        expect(page.events[1]).toMatchObject({ timestamp: T0 + 10, ingestionTime: T0 + 30 });
      });

      it("takes the first or the last `limit` events, and continues from either edge", async () => {
        const head = await get({ startFromHead: true, limit: 2 });
        expect(messages(head.events)).toEqual(["e5", "e10"]);
        const next = await get({ limit: 2, from: { direction: "forward", position: head.forward } });
        expect(messages(next.events)).toEqual(["e20a", "e20b"]);
        const last = await get({ limit: 2, from: { direction: "forward", position: next.forward } });
        expect(messages(last.events)).toEqual(["e40"]);
        // At the end, the forward edge stays put: a follower sees the same token until new events come.
        const end = await get({ limit: 2, from: { direction: "forward", position: last.forward } });
        expect(end.events).toEqual([]);
        expect(end.forward).toEqual(last.forward);
        await append(G, S, events([41, "e41"]));
        const more = await get({ limit: 2, from: { direction: "forward", position: end.forward } });
        expect(messages(more.events)).toEqual(["e41"]);

        const tail = await get({ limit: 2 });
        expect(messages(tail.events)).toEqual(["e40", "e41"]);
        const back = await get({ limit: 3, from: { direction: "backward", position: tail.backward } });
        expect(messages(back.events)).toEqual(["e10", "e20a", "e20b"]);
        const start = await get({ limit: 3, from: { direction: "backward", position: back.backward } });
        expect(messages(start.events)).toEqual(["e5"]);
        const before = await get({ limit: 3, from: { direction: "backward", position: start.backward } });
        expect(before.events).toEqual([]);
        expect(before.backward).toEqual(start.backward);
      });

      it("keeps to the time range: start inclusive, end exclusive", async () => {
        const page = await get({ startFromHead: true, startTime: T0 + 10, endTime: T0 + 40 });
        expect(messages(page.events)).toEqual(["e10", "e20a", "e20b"]);
        const tail = await get({ startTime: T0 + 10, endTime: T0 + 40, limit: 1 });
        expect(messages(tail.events)).toEqual(["e20b"]);
        const empty = await get({ startFromHead: true, startTime: T0 + 100 });
        expect(empty.events).toEqual([]);
        expect(empty.forward).toEqual(empty.backward);
      });

      it("reads nothing from an unknown stream", async () => {
        const page = await get({ startFromHead: true }, "missing");
        expect(page.events).toEqual([]);
      });
    });

    describe("filterLogEvents", () => {
      beforeEach(async () => {
        await append(
          G,
          "2026/01/15/[$LATEST]a",
          events([1, "START RequestId: 1"], [4, "ERROR boom"], [6, "END"]),
        );
        await append(
          G,
          "2026/01/15/[$LATEST]b",
          events([2, "INFO hello world"], [4, "WARN slow"], [5, "error lower"]),
        );
        await append(G, "2026/01/14/[$LATEST]c", events([3, 'ERROR "quoted" Internal Server Error']));
        await append("/aws/lambda/other", "x", events([1, "ERROR elsewhere"]));
      });

      it("interleaves the group's streams by timestamp, then append order", async () => {
        const page = await filter({});
        expect(page.items.map((e) => [e.stream.slice(-1), e.message])).toEqual([
          ["a", "START RequestId: 1"],
          ["b", "INFO hello world"],
          ["c", 'ERROR "quoted" Internal Server Error'],
          ["a", "ERROR boom"],
          ["b", "WARN slow"],
          ["b", "error lower"],
          ["a", "END"],
        ]);
        expect(page.next).toBeUndefined();
        const descending = await filter({ descending: true });
        expect(messages(descending.items)).toEqual(messages(page.items).reverse());
      });

      it("narrows by stream names, stream prefix and time range (start inclusive, end exclusive)", async () => {
        expect(messages((await filter({ streams: ["2026/01/15/[$LATEST]b", "nope"] })).items)).toEqual([
          "INFO hello world",
          "WARN slow",
          "error lower",
        ]);
        expect(messages((await filter({ streamPrefix: "2026/01/14" })).items)).toEqual([
          'ERROR "quoted" Internal Server Error',
        ]);
        expect(messages((await filter({ startTime: T0 + 4, endTime: T0 + 6 })).items)).toEqual([
          "ERROR boom",
          "WARN slow",
          "error lower",
        ]);
      });

      it.each([
        ["", 7],
        ["ERROR", 2],
        ["error", 1],
        ["ERROR boom", 1],
        ["boom ERROR", 1],
        ["?WARN ?boom", 2],
        ["?ERROR ?WARN ?INFO", 4],
        ["ERROR -boom", 1],
        ["-ERROR -error", 4],
        ['"Internal Server Error"', 1],
        ['"Server Internal"', 0],
        ['"\\"quoted\\""', 1],
        ['?"hello world" ?"RequestId: 1"', 2],
        ["?ERROR boom ?WARN slow", 2],
        ["?ERROR Server ?WARN fast", 1],
        ['""', 7],
      ])("matches the pattern %j against %i events", async (pattern, count) => {
        const page = await filter({ pattern });
        expect(page.items).toHaveLength(count);
      });

      it("refuses patterns it cannot read", async () => {
        for (const pattern of ['{ $.level = "ERROR" }', "[ip, user]", "%ERR.*%", '"open'])
          await expect(filter({ pattern })).rejects.toBeInstanceOf(InvalidFilterPattern);
      });

      it("pages either way with a cursor bound to the group and direction", async () => {
        const read = (descending: boolean) =>
          allPages((after) => filter({ limit: 3, after, descending, pattern: "-START" }));
        const forward = await read(false);
        expect(forward.map((p) => p.length)).toEqual([3, 3]);
        const backward = await read(true);
        expect(backward.flat().map((e: StoredLogEvent) => e.message)).toEqual(
          forward
            .flat()
            .map((e) => e.message)
            .reverse(),
        );
        const first = await filter({ limit: 1 });
        await expect(filter({ limit: 1, after: first.next, descending: true })).rejects.toBeInstanceOf(
          InvalidCursor,
        );
        await expect(filter({ limit: 1, after: first.next }, "/aws/lambda/other")).rejects.toBeInstanceOf(
          InvalidCursor,
        );
      });

      it("finds nothing in an unknown group", async () => {
        expect(await filter({}, "/aws/lambda/none")).toEqual({ items: [], next: undefined });
      });
    });
  });
}
