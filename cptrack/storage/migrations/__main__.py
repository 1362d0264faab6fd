from cptrack.migrations import main

main()
