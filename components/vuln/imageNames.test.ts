import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GREENBONE_IMAGE_NAMES, IMAGE_DIGEST as DOOR_DIGEST } from "../../vocabulary/greenbone";
import { GREENBONE_IMAGES, IMAGE_DIGEST } from "./pins";

describe("Greenbone's image names", () => {
  it("are the same for the door (vocabulary/greenbone.ts) and the pins (pins.ts), and so is a digest's shape", () => {
    assert.deepEqual([...GREENBONE_IMAGE_NAMES].sort(), Object.keys(GREENBONE_IMAGES).sort());
    assert.equal(DOOR_DIGEST.source, IMAGE_DIGEST.source);
  });
});
