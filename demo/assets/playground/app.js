// The playground's page script (a placeholder until the page is written).
