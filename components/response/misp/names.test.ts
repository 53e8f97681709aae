import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MISP_FEED_NAMES, MISP_IMAGE_NAMES } from "../../../vocabulary/misp";
import { FEED_CATALOG } from "./feeds";
import { MISP_IMAGES } from "./pins";

describe("the door's MISP names", () => {
  it("are the feeds of the component's catalog", () => {
    assert.deepEqual([...MISP_FEED_NAMES].sort(), Object.keys(FEED_CATALOG).sort());
  });
  it("are the images of the component's compose file", () => {
    assert.deepEqual([...MISP_IMAGE_NAMES].sort(), Object.keys(MISP_IMAGES).sort());
  });
});
