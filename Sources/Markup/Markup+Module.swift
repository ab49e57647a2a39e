// Markup module (in progress)
