// Where a subscriber keeps its place: the cursor of the last notice (or heartbeat) the
// application processed, or the start cursor of its first subscription.
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

export interface CursorStore {
  /** The stored cursor, or undefined when none was ever saved. */
  load(): string | undefined | Promise<string | undefined>;
  /** Stores `cursor`, replacing the previous one. */
  save(cursor: string): void | Promise<void>;
}

/** A cursor in memory: resumes across reconnects, not across a restart of the process. */
export class MemoryCursorStore implements CursorStore {
  constructor(private cursor?: string) {}

  load(): string | undefined {
    return this.cursor;
  }

  save(cursor: string): void {
    this.cursor = cursor;
  }
}

/**
 * A cursor in a file, written atomically: to a temporary file in the same folder, flushed
 * to disk, then renamed over the file, so a crash leaves the old cursor or the new one,
 * never a torn one. Saves of one store are serialized.
 */
export class FileCursorStore implements CursorStore {
  private last: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(): Promise<string | undefined> {
    let text: string;
    try {
      text = (await readFile(this.path, "utf8")).trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        return undefined;
      }
      throw err;
    }
    if (text === "") {
      // Not "start from now": that would skip every notice since the last save.
      throw new Error(`the cursor file ${this.path} is empty: restore it, or delete it to start from now`);
    }
    return text;
  }

  save(cursor: string): Promise<void> {
    const next = this.last.catch(() => undefined).then(() => this.write(cursor));
    this.last = next;
    return next;
  }

  private async write(cursor: string): Promise<void> {
    const temp = join(
      dirname(this.path),
      `.${basename(this.path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
    );
    const file = await open(temp, "w", 0o600);
    try {
      await file.writeFile(`${cursor}\n`, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, this.path);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }
}
