// Asks server-everything for the weather in every city it knows, in parallel, and returns only the ranking:
// three structured results stay in the sandbox; one line per city comes back.
const cities = ['New York', 'Chicago', 'Los Angeles'] as const;
const reports = await Promise.all(cities.map((location) => mcp.everything.getStructuredContent({ location })));

const ranked = cities.map((city, i) => ({ city, ...reports[i] })).sort((a, b) => b.temperature - a.temperature);

// Tools that fail reject with a ToolError; catch it to carry on.
const note = await mcp.everything.getSum({ a: ranked.length, b: 0 }).catch((error: ToolError) => `${error.tool} failed: ${error.message}`);
console.log(note);

return ranked.map((r) => `${r.city}: ${r.temperature}° ${r.conditions}, humidity ${r.humidity}%`);
