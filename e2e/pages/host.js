// A bare host page for the end-to-end tests: each `w` query parameter adds one widget, its
// attributes given as `name=value` pairs separated by `;`, e.g.
//   /test/pages/host.html?w=src=/test/fault/a;timeout=1&w=src=/fixtures/en-minimal.json;lang=en
// Then the production loader mounts them, exactly as on a publisher's page.
const params = new URLSearchParams(location.search);
for (const spec of params.getAll("w")) {
  const element = document.createElement("div");
  element.setAttribute("data-kiosque", "");
  for (const pair of spec.split(";")) {
    const [name, ...value] = pair.split("=");
    element.setAttribute(`data-${name}`, value.join("="));
  }
  document.querySelector("main").append(element);
}
await import("/kiosque-loader.js");
