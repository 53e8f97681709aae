import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { movingFetches } from "./fetches";

const urls = (text: string) => movingFetches(text).map((fetch) => fetch.url);

describe("movingFetches", () => {
  it("finds latest, branches and HEAD in what a command fetches", () => {
    for (const text of [
      "curl -LO https://github.com/o/r/releases/latest/download/x.tar.gz",
      "wget https://raw.githubusercontent.com/o/r/main/install.sh",
      "wget https://raw.githubusercontent.com/o/r/develop2/install.sh",
      "curl https://example.org/o/r/-/raw/master/x.sh",
      "curl -LO https://github.com/o/r/archive/refs/heads/release.tar.gz",
      "curl -fsSL https://get.docker.com | sh",
      "curl -L -s https://dl.k8s.io/release/stable.txt",
      "go install github.com/o/tool@latest",
      "git clone https://github.com/o/rules.git /opt/rules",
      "Invoke-WebRequest https://example.org/nightly/agent.msi",
    ]) {
      assert.equal(urls(text).length, 1, text);
    }
  });

  it("accepts commits and release tags, and URLs that are only named", () => {
    for (const text of [
      "curl -sfL https://raw.githubusercontent.com/k3s-io/k3s/0136cf258954a458da1404858396342724b93d24/install.sh",
      "curl -sfL https://raw.githubusercontent.com/helm/helm/v3.18.4/scripts/get-helm-3",
      "curl -LO https://github.com/o/r/releases/download/v1.2.3/x.tar.gz",
      "echo see https://example.org/latest/ for notes",
      "git clone --branch v2.1.0 https://github.com/o/rules.git",
      "git clone https://github.com/o/rules.git && git -C rules checkout 0136cf258954a458da1404858396342724b93d24",
      "go install github.com/o/tool@v1.4.2",
    ]) {
      assert.deepEqual(urls(text), [], text);
    }
  });
});
