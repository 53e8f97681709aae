/**
 * What the manager VM installs, pinned, each with where the pin was read. Wazuh's 4.x apt repository
 * serves both packages; Filebeat's Wazuh module and the alerts template are fetched from wazuh/wazuh
 * at the v4.14.6 tag's commit, each file checked against the sha256 computed from that commit.
 */

/** Wazuh's apt repository (wazuh-documentation installation guide, "Adding the Wazuh repository"). */
export const WAZUH_APT = {
  keyUrl: "https://packages.wazuh.com/key/GPG-KEY-WAZUH",
  /**
   * "Wazuh.com (Wazuh Signing Key) <support@wazuh.com>", rsa4096, expires 2027-05-15. Stated beside the
   * key block Wazuh's installation assistant embeds (`installCommon_writeWazuhGPGKey`: "Wazuh package
   * signing key (fingerprint 0DCF CA55 47B1 9D2A 6099 5060 96B3 EE5F 2911 1145)"), and recomputed here
   * with `gpg --show-keys --with-colons` from that key block.
   */
  keyFingerprint: "0DCFCA5547B19D2A6099506096B3EE5F29111145",
  keyring: "/usr/share/keyrings/wazuh.gpg",
  sourceList: "/etc/apt/sources.list.d/wazuh.list",
  source: "https://packages.wazuh.com/4.x/apt/ stable main",
} as const;

/** The manager package (wazuh-docker@v4.14.6 .env: WAZUH_VERSION=4.14.6, WAZUH_TAG_REVISION=1). */
export const WAZUH_MANAGER_PACKAGE = { name: "wazuh-manager", version: "4.14.6-1" } as const;

/**
 * Filebeat OSS as Wazuh repackages it: wazuh/wazuh@v4.14.6 .github/workflows/4_builderpackage_filebeat-package.yml
 * builds FILEBEAT_VERSION 7.10.2 with the revision as the package iteration (`filebeat_7.10.2-<rev>_amd64.deb`),
 * and wazuh-docker@v4.14.6 build-docker-images/wazuh-manager/Dockerfile installs revision 2.
 */
export const FILEBEAT_PACKAGE = { name: "filebeat", version: "7.10.2-2" } as const;

/** wazuh/wazuh tag v4.14.6 (`git rev-parse v4.14.6^{commit}`): raw URLs by commit cannot move. */
export const WAZUH_SOURCE_COMMIT = "44c2925b46bd058d2426bd44ed1b3e5d7b7b03b4";
const RAW = `https://raw.githubusercontent.com/wazuh/wazuh/${WAZUH_SOURCE_COMMIT}`;

export interface PinnedFile {
  readonly url: string;
  readonly sha256: string;
  /** Where it is installed on the manager. */
  readonly path: string;
}

/**
 * The alerts index template Filebeat loads (`setup.template.json.path`), as wazuh-docker's manager
 * image adds it (`ADD https://raw.githubusercontent.com/wazuh/wazuh/$FILEBEAT_TEMPLATE_BRANCH/extensions/elasticsearch/7.x/wazuh-template.json`).
 */
export const WAZUH_TEMPLATE: PinnedFile = {
  url: `${RAW}/extensions/elasticsearch/7.x/wazuh-template.json`,
  sha256: "c6e30822c67c10f7e777cb51926e261d8b2c3a941c4ffcf83325f700c1c8802f",
  path: "/etc/filebeat/wazuh-template.json",
};

/**
 * Wazuh's Filebeat module. The documented install untars `wazuh-filebeat-0.5.tar.gz` from
 * packages.wazuh.com (wazuh-docker@v4.14.6 .env WAZUH_FILEBEAT_MODULE), whose digest cannot be computed
 * from any source here; that tarball is `_meta alerts archives module.yml` of
 * extensions/filebeat/7.x/wazuh-module, owned root, directories 755 and files 644
 * (wazuh/wazuh@v4.14.6 .github/workflows/4_builderpackage_filebeat-module.yml). Fortress installs the
 * same files from the tag's commit, each checked by the sha256 of that commit's blob.
 */
const MODULE_DIR = "/usr/share/filebeat/module/wazuh";
const moduleFile = (path: string, sha256: string): PinnedFile => ({
  url: `${RAW}/extensions/filebeat/7.x/wazuh-module/${path}`,
  sha256,
  path: `${MODULE_DIR}/${path}`,
});
export const FILEBEAT_MODULE_DIR = MODULE_DIR;
export const WAZUH_FILEBEAT_MODULE: readonly PinnedFile[] = [
  moduleFile("_meta/config.yml", "5bcbec65ffa2e9af2ce36431d22f7bdc77e44ca4238f6c2b1ddcd5001d1f3951"),
  moduleFile("_meta/docs.asciidoc", "7e43d6279cea63524da83bf7c1eb56c0ea1d697edb63617ec2c9dbc7286fe94f"),
  moduleFile("_meta/fields.yml", "9de7bfa6bf93d6557c37516c003c586bdfd3723ca9a22ce24a68dc7be154a846"),
  moduleFile("alerts/config/alerts.yml", "036b2aae9ace02ea0b911d5bbdb21ff911d2389fc19ad12ca250f51ffd628233"),
  moduleFile(
    "alerts/ingest/pipeline.json",
    "3f37f8df1cbd417bf520764ef7905248b8884d1737811ac6e4a152d424987aaa",
  ),
  moduleFile("alerts/manifest.yml", "091f7a005c5c6b2a87b2bff902d2e261cc0a2efddf2ce970611e6c340f600316"),
  moduleFile(
    "archives/config/archives.yml",
    "036b2aae9ace02ea0b911d5bbdb21ff911d2389fc19ad12ca250f51ffd628233",
  ),
  moduleFile(
    "archives/ingest/pipeline.json",
    "ccc8119165cdb646348ff6e4fbc4ebf5aae11203a876b626c05ad924f8821ee4",
  ),
  moduleFile("archives/manifest.yml", "622bd85ff8694633d3b210bed73cd89127ffa23b72bf9ecca55bd09fd44717c7"),
  moduleFile("module.yml", "dd475278b4695f6998a38fc134d8d67338f45a37664c696e15f2f7a03719d894"),
];

/**
 * Debian bookworm's gpg, for the key's fingerprint check (`gpg --show-keys`) and `--dearmor`; cloud
 * images carry only gpgv. The version Debian 12.11 ships (`dpkg -l gpg` on bookworm).
 */
export const GPG_PACKAGE = { name: "gpg", version: "2.2.40-1.1+deb12u2" } as const;
