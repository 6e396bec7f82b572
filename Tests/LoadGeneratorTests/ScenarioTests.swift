import LoadGeneratorCore
import Testing

@Suite("Scenarios")
struct ScenarioTests {
    @Test("participants join interleaved across rooms at the ramp rate, talkers first, tags distinct per room")
    func schedule() {
        let scenario = LoadScenario(rooms: 2, participantsPerRoom: 3, talkersPerRoom: 2, duration: 10, ramp: 10)
        let schedule = scenario.schedule()
        #expect(schedule.count == 6)
        #expect(schedule.map(\.plan.room) == [0, 1, 0, 1, 0, 1])
        #expect(zip(schedule.map(\.joinAt), [0, 0.1, 0.2, 0.3, 0.4, 0.5]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(schedule.map(\.plan.isTalker) == [true, true, true, true, false, false])
        #expect(schedule[0].plan.toneFrequency == 300)
        #expect(schedule[2].plan.toneFrequency == 450)
        #expect(schedule[0].plan.otherToneFrequencies == [450])
        #expect(schedule.allSatisfy { $0.leaveAt == scenario.endSeconds })
        #expect(scenario.endSeconds == 10.5)
        #expect(Set(schedule.map(\.plan.ssrc)).count == 6)
        #expect(schedule[1].roomName == "load-1")
    }

    @Test("churn replaces a present participant with a newcomer in the same seat")
    func churn() {
        let scenario = LoadScenario(
            rooms: 1,
            participantsPerRoom: 4,
            talkersPerRoom: 1,
            duration: 5,
            ramp: 100,
            churn: 1
        )
        let schedule = scenario.schedule()
        let leavers = schedule.filter { $0.leaveAt < scenario.endSeconds }
        let newcomers = schedule.filter { $0.plan.number >= 4 }
        // Events at ramp + 1, +2, +3 (the last second is left alone).
        #expect(leavers.count == 3)
        #expect(newcomers.count == 3)
        for (leaver, newcomer) in zip(
            leavers.sorted { $0.leaveAt < $1.leaveAt },
            newcomers.sorted { $0.joinAt < $1.joinAt }
        ) {
            #expect(abs(newcomer.joinAt - leaver.leaveAt - 0.2) < 1e-9)
            #expect(newcomer.plan.isTalker == leaver.plan.isTalker || leaver.plan.number >= 4)
        }
        #expect(scenario.validate() == nil)
        #expect(LoadScenario(rooms: 1, participantsPerRoom: 2, talkersPerRoom: 3, duration: 1).validate() != nil)
    }
}
