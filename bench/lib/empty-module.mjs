// Row 6a's floor: what importing any ES module and calling one function costs a fresh Node process.
export const call = () => 0;
