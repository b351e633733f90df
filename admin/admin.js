// The form editor starts by hand so that, in the preview (`python -m generator serve`), Decap's
// local backend is the preview's own /api/v1 on whatever host and port it runs; config.yml,
// generated from the model, gives everything else. Elsewhere Decap uses config.yml's git backend.
window.CMS_MANUAL_INIT = true;
window.ATLAS_CMS_INIT = ["localhost", "127.0.0.1"].includes(location.hostname)
  ? { config: { local_backend: { url: location.origin + "/api/v1" } } }
  : {};
