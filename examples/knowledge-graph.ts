// Builds a small knowledge graph in server-memory from the project's package.json (read with server-filesystem):
// each runtime dependency becomes an entity related to the project, then a search proves it is all there.
const folder = (await mcp.fs.listAllowedDirectories()).content.split('\n').pop()!.trim();
const manifest = JSON.parse((await mcp.fs.readTextFile({ path: `${folder}/package.json` })).content) as {
  name: string;
  dependencies?: Record<string, string>;
};
const dependencies = Object.entries(manifest.dependencies ?? {});

await mcp.memory.createEntities({
  entities: [
    { name: manifest.name, entityType: 'project', observations: [`${dependencies.length} runtime dependencies`] },
    ...dependencies.map(([name, range]) => ({ name, entityType: 'package', observations: [`wanted at ${range}`] })),
  ],
});
await mcp.memory.createRelations({
  relations: dependencies.map(([name]) => ({ from: manifest.name, to: name, relationType: 'depends on' })),
});

const found = await mcp.memory.searchNodes({ query: 'package' });
return {
  project: manifest.name,
  dependencies: dependencies.map(([name]) => name),
  packagesInGraph: found.entities.filter((entity) => entity.entityType === 'package').length,
};
