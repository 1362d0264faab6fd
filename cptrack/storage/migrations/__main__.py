from cptrack.storage.migrations import main

main()
