/**
 * report.html in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no
 * browser is downloaded): the home lab's page loads with no console error or warning and no request
 * beyond the file itself, its figures are plan.json's, a hostile name stays text, and `--diff` puts the
 * security-relevant changes first. The full-page screenshot is written to test-output/report.png.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { EXIT, plan } from "../stacks/plan/cli";
import { diffPlans } from "../stacks/plan/diffCompute";
import type { PlanDocument } from "../stacks/plan/document";
import { renderReportHtml } from "../stacks/plan/html/page";
import { zoneGrid } from "../stacks/plan/zoneGrid";

const CHROMIUM = "/usr/bin/chromium";
const root = join(__dirname, "..");
const SCREENSHOT = join(root, "test-output", "report.png");
const out = mkdtempSync(join(tmpdir(), "fortress-report-"));
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run the report's browser test`;

interface PageProblems {
  readonly console: string[];
  readonly blocked: string[];
  readonly failed: string[];
  readonly dialogs: string[];
}

/**
 * What the page shows, read from the DOM. Plain JavaScript in a string: tsx would wrap named functions
 * of a TypeScript callback in a helper (`__name`) that does not exist inside the page.
 */
const READ_FIGURES = `(() => {
  const text = (element) => (element && element.textContent ? element.textContent.trim() : "");
  const all = (selector, scope = document) => [...scope.querySelectorAll(selector)];
  return {
    nodes: all("[data-node]").map((node) => ({
      node: node.getAttribute("data-node"),
      metrics: Object.fromEntries(
        all("[data-metric]", node).map((metric) => [
          metric.getAttribute("data-metric"),
          [text(metric.querySelector(".used")), text(metric.querySelector(".capacity")), text(metric.querySelector(".pct"))],
        ]),
      ),
      vms: all("[data-vm]", node).map((row) => all("td", row).map(text)),
      segments: all(".bar", node).map((bar) => bar.children.length),
    })),
    vlans: all("[data-network]").map((row) => all("td", row).map(text)),
    zones: all("td[data-from]").map((cell) => ({
      from: cell.getAttribute("data-from"),
      to: cell.getAttribute("data-to"),
      kind: cell.getAttribute("data-kind"),
      services: all(".svc", cell).map(text),
      quarantine: cell.classList.contains("quarantine"),
    })),
    layers: all("[data-layer]").map((layer) => ({ name: layer.getAttribute("data-layer"), detail: text(layer.querySelector(".detail")) })),
    arrows: all("path.edge").map((edge) => edge.getAttribute("data-downstream") + "→" + edge.getAttribute("data-upstream")),
    violationCount: text(document.querySelector("#violations .count")),
    violationItems: all("[data-violation]").length,
    external: all("[src], link[href], script").length,
  };
})()`;

interface Figures {
  readonly nodes: {
    readonly node: string;
    readonly metrics: Record<string, string[]>;
    readonly vms: string[][];
    readonly segments: number[];
  }[];
  readonly vlans: string[][];
  readonly zones: { from: string; to: string; kind: string; services: string[]; quarantine: boolean }[];
  readonly layers: { name: string; detail: string }[];
  readonly arrows: string[];
  readonly violationCount: string;
  readonly violationItems: number;
  readonly external: number;
}

let browser: Browser;
let document: PlanDocument;

/** Opens a file in a fresh page that may load nothing but file: and data: URLs, and records what went wrong. */
async function open(file: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: PageProblems = { console: [], blocked: [], failed: [], dialogs: [] };
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.console.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.console.push(`pageerror: ${error.message}`));
  page.on("requestfailed", (request) => problems.failed.push(request.url()));
  page.on("dialog", (dialog) => {
    problems.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    problems.blocked.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems };
}

function assertClean(problems: PageProblems): void {
  assert.deepEqual(problems.console, [], "console errors or warnings");
  assert.deepEqual(problems.blocked, [], "requests beyond file: and data:");
  assert.deepEqual(problems.failed, [], "failed requests");
  assert.deepEqual(problems.dialogs, [], "dialogs");
}

describe("report.html in Chromium", { skip }, () => {
  before(async () => {
    const outcome = await plan({ configFile: join(root, "Pulumi.home.yaml"), outDir: out });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    document = JSON.parse(readFileSync(join(out, "plan.json"), "utf8")) as PlanDocument;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
  });
  after(async () => {
    await browser?.close();
  });

  it("loads the home lab's report with no console error, no request, and shows plan.json's figures", async (t) => {
    const { page, problems } = await open(join(out, "report.html"));
    const shown = (await page.evaluate(READ_FIGURES)) as Figures;
    mkdirSync(join(root, "test-output"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    t.diagnostic(`screenshot: ${SCREENSHOT}`);
    await page.close();
    assertClean(problems);
    assert.equal(shown.external, 0, "no script, no src, no stylesheet link");

    const n = (value: number) => String(Math.round(value * 100) / 100);
    assert.deepEqual(
      shown.nodes.map((node) => node.node),
      document.placement.map((node) => node.node),
    );
    for (const [index, node] of document.placement.entries()) {
      const seen = shown.nodes[index];
      for (const metric of ["cores", "memoryGb", "diskGb"] as const)
        assert.deepEqual(
          seen?.metrics[metric],
          [n(node.used[metric]), n(node.capacity[metric]), n(node.headroomPct[metric])],
          `${node.node} ${metric}`,
        );
      assert.deepEqual(
        seen?.vms,
        node.vms.map((vm) => [
          vm.name,
          n(vm.cores),
          n(vm.memoryGb),
          n(vm.diskGb),
          vm.address ?? "—",
          String(vm.vlan ?? "—"),
        ]),
      );
      assert.deepEqual(
        seen?.segments,
        [node.vms.length, node.vms.length, node.vms.length],
        "one bar segment per VM",
      );
    }

    const vms = document.placement.flatMap((node) => node.vms);
    assert.deepEqual(
      shown.vlans,
      document.networks.map((network) => [
        network.name,
        String(network.vlan),
        network.cidr,
        network.gateway,
        network.purpose,
        `${network.dhcp.start} – ${network.dhcp.end}`,
        network.interface ?? "—",
        String(vms.filter((vm) => vm.vlan === network.vlan).length),
      ]),
    );

    // Every zone entry of plan.json is its cell; every cell the matrix fills comes from an entry.
    for (const zone of document.zones) {
      const cell = shown.zones.find((seen) => seen.from === zone.from && seen.to === zone.to);
      assert.ok(cell, `${zone.from} → ${zone.to} has a cell`);
      assert.deepEqual(cell.services, zone.services, `${zone.from} → ${zone.to}`);
    }
    const grid = zoneGrid(document);
    assert.equal(shown.zones.length, grid.rows.length * grid.columns.length);
    for (const cell of shown.zones.filter((seen) => seen.kind === "allowed"))
      assert.ok(
        document.zones.some((zone) => zone.from === cell.from && zone.to === cell.to),
        `${cell.from} → ${cell.to}`,
      );
    const quarantine = document.networks
      .filter((network) => network.purpose === "quarantine")
      .map((network) => network.name);
    assert.ok(quarantine.length > 0, "the home lab has a quarantine network");
    const quarantineCells = shown.zones.filter(
      (cell) => quarantine.includes(cell.from ?? "") || quarantine.includes(cell.to ?? ""),
    );
    assert.ok(
      quarantineCells.every((cell) => cell.quarantine),
      "the quarantine row and column are marked",
    );
    assert.deepEqual(
      quarantineCells.filter((cell) => cell.services.length > 0),
      [],
      "the quarantine row and column are empty",
    );

    assert.deepEqual(
      shown.layers,
      document.layers.map((layer) => ({
        name: layer.name,
        detail: layer.status === "built" ? `${layer.resources} resources` : layer.status,
      })),
    );
    assert.deepEqual(shown.arrows.sort(), document.edges.map((edge) => `${edge.from}→${edge.to}`).sort());
    assert.equal(shown.violationCount, String(document.violations.length));
    assert.equal(shown.violationItems, document.violations.length);
  });

  it("keeps a hostile network, VM and policy text as text: no markup, no script, no dialog", async () => {
    const hostile = `<img src=x onerror="alert('xss')"><script>alert("xss")</script>`;
    const [network] = document.networks;
    const [node] = document.placement;
    assert.ok(network && node && node.vms[0]);
    const poisoned: PlanDocument = {
      ...document,
      stack: `</title>${hostile}`,
      networks: [{ ...network, name: `net${hostile}` }, ...document.networks.slice(1)],
      zones: [...document.zones, { from: `net${hostile}`, to: "firewall", services: [`"svc'${hostile}`] }],
      placement: [
        {
          ...node,
          node: `node"${hostile}`,
          vms: [{ ...node.vms[0], name: `vm${hostile}` }, ...node.vms.slice(1)],
        },
        ...document.placement.slice(1),
      ],
      violations: [
        {
          policy: `policy${hostile}`,
          level: "mandatory",
          message: `message ${hostile}`,
          urn: `urn:${hostile}`,
        },
      ],
    };
    const file = join(out, "hostile.html");
    writeFileSync(file, renderReportHtml(poisoned));
    const { page, problems } = await open(file);
    const found = (await page.evaluate(`({
      markup: document.querySelectorAll("body img, body script, [onerror]").length,
      text: document.body.textContent,
      title: document.title,
    })`)) as { markup: number; text: string; title: string };
    await page.close();
    assertClean(problems);
    assert.equal(found.markup, 0, "a hostile name became markup");
    for (const name of [
      `net${hostile}`,
      `vm${hostile}`,
      `node"${hostile}`,
      `policy${hostile}`,
      `message ${hostile}`,
    ])
      assert.ok(found.text.includes(name), `${name} is shown as text`);
    assert.equal(found.title, `Fortress plan · </title>${hostile}`);
  });

  it("with --diff, shows the security-relevant changes first, before the placement", async () => {
    // The base lacked the users → servers https entry: the new plan opens it.
    const base: PlanDocument = {
      ...document,
      zones: document.zones.filter((zone) => !(zone.from === "users" && zone.to === "servers")),
    };
    assert.ok(base.zones.length < document.zones.length, "the home lab lets users reach servers");
    const file = join(out, "diff.html");
    writeFileSync(
      file,
      renderReportHtml(document, { diff: diffPlans(base, document), base: "base/plan.json" }),
    );
    const { page, problems } = await open(file);
    const order = (await page.evaluate(`({
      ids: [...document.querySelectorAll("main > section")].map((section) => section.id),
      headings: [...document.querySelectorAll("#diff h2, #diff h3")].map((heading) => heading.textContent.trim()),
      zone: [...document.querySelectorAll("#diff li")]
        .map((item) => item.textContent.replace(/\\s+/g, " ").trim())
        .find((text) => text.includes("users → servers")),
    })`)) as { ids: string[]; headings: string[]; zone?: string };
    await page.close();
    assertClean(problems);
    assert.deepEqual(order.ids.slice(0, 2), ["diff", "placement"]);
    const security = order.headings.indexOf("Security-relevant changes");
    const rest = order.headings.indexOf("Everything else");
    const zones = order.headings.indexOf("Zone matrix");
    assert.ok(security >= 0 && security < zones && zones < rest, order.headings.join(" | "));
    assert.equal(order.zone, "added users → servers: — → https");
  });
});
