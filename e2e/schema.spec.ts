import { expect, test } from "@playwright/test";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brokenFixtures, FIXTURES, fixtureJson, goodFixtures } from "./helpers";

// The JSON Schema of docs/ and the fixtures must agree: the schema is what publishers validate
// their feeds against.
const schema = JSON.parse(readFileSync(join(__dirname, "..", "docs", "article.schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

for (const name of goodFixtures()) {
  test(`schema accepts ${name}`, () => {
    const valid = validate(fixtureJson(name));
    expect(validate.errors ?? [], name).toEqual([]);
    expect(valid).toBe(true);
  });
}

for (const name of brokenFixtures().filter((n) => n !== "malformed.json")) {
  test(`schema refuses broken/${name}`, () => {
    expect(validate(fixtureJson(join("broken", name)))).toBe(false);
  });
}

test("malformed.json is not even JSON", () => {
  expect(() => JSON.parse(readFileSync(join(FIXTURES, "broken", "malformed.json"), "utf8"))).toThrow();
});
